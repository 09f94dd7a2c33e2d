// The passkey ceremonies in the browser: the page holds the options the
// server made (with its one-time challenge); this asks the authenticator and
// puts its answer in the form's hidden field, and the form posts as usual.
// Without JavaScript (or WebAuthn) the button stays hidden and the page says so.
import { browserSupportsWebAuthn, startAuthentication, startRegistration } from '@simplewebauthn/browser';

for (const form of document.querySelectorAll<HTMLFormElement>('form[data-passkey]')) {
  const optionsJSON = JSON.parse(document.getElementById(form.dataset.passkeyOptions!)!.textContent!);
  const field = form.querySelector<HTMLInputElement>('input[name="credential"]')!;
  const button = form.querySelector<HTMLButtonElement>('button[data-passkey-start]')!;
  if (!browserSupportsWebAuthn()) continue;
  form.querySelector<HTMLElement>('.reachable-passkey-unsupported')?.setAttribute('hidden', '');
  button.hidden = false;
  form.addEventListener('submit', async (event) => {
    if (field.value) return;
    event.preventDefault();
    try {
      const answer = form.dataset.passkey === 'register' ? await startRegistration({ optionsJSON }) : await startAuthentication({ optionsJSON });
      field.value = JSON.stringify(answer);
    } catch {
      // Cancelled or refused: post without an answer, and the page says what to do.
      field.value = '';
    }
    form.submit();
  });
}
