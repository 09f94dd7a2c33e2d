// Every figure a script draws carries its data as JSON inside it (never
// fetched): each is set up from that, and hidden again if drawing fails, since
// the table or the form field beside it holds the same.
export function eachFigure<T>(selector: string, what: string, setUp: (figure: HTMLElement, data: T) => void): void {
  for (const figure of document.querySelectorAll<HTMLElement>(selector)) {
    const source = figure.querySelector('script[type="application/json"]');
    if (!source?.textContent) continue;
    try {
      setUp(figure, JSON.parse(source.textContent) as T);
    } catch (error) {
      console.error(`${what} not drawn`, error);
      figure.hidden = true;
    }
  }
}
