import { describe, expect, it } from 'vitest';
import { FileProblems } from '../../src/analysis/csvRead.ts';
import { principleRefs, readPlan } from '../../src/modules/strategy/planImport.ts';

const principles = [
  ...[1, 2, 3, 4, 5, 6].map((n) => ({ id: `s${n}`, kind: 'strategic', number: n })),
  ...[1, 2, 3, 4, 5, 7, 8, 9].map((n) => ({ id: `e${n}`, kind: 'enabling', number: n })),
];
const HEADER = 'Action no.,Action,Lead partner(s),Strategic Principle alignment,Enabling Principle alignment';

describe('reading an action plan laid out like seed 004', () => {
  it('reads headings as commitments, numbered actions, lead partners and principles however written', () => {
    const csv = [
      HEADER,
      '5.1. KNIFE CRIME ACTION PLAN,,,,',
      'Enforcement and Criminal Justice Response to Knife Crime,,,,',
      '5.1.1,"Partnership tasking of patrols in hot spots, weekly",Community Safety,"[Strategic Principle 4] Where violence has occurred…","[Enabling Principle 3] evidence; [Enabling Principle 1] collaboration"',
      '5.1.2,Analysis of hot spots,IGU / MPS,,',
      ',,,,[Enabling Principle 5] trust',
      'Prevention,,,,',
      '5.1.3,"A monthly',
      'problem profile",IGU,3; 5,',
      // Seed 004 sometimes puts a strategic principle in the enabling column: the label wins.
      '5.6.7,Vulnerabilities identified,,,<i>[Strategic Principle 1] We recognise</i>',
    ].join('\r\n');
    const plan = readPlan(csv, principles);
    expect(plan.map((c) => c.statement)).toEqual(['Enforcement and Criminal Justice Response to Knife Crime', 'Prevention']);
    expect(plan[0].actions.map((a) => [a.number, a.leadPartners, a.principleIds])).toEqual([
      ['5.1.1', ['Community Safety'], ['s4', 'e3', 'e1']],
      ['5.1.2', ['IGU', 'MPS'], ['e5']],
    ]);
    expect(plan[1].actions[0]).toMatchObject({ number: '5.1.3', statement: 'A monthly\nproblem profile', line: 8, principleIds: ['s3', 's5'] });
    expect(plan[1].actions[1].principleIds).toEqual(['s1']);
  });

  it('names every problem with its line and imports nothing', () => {
    const csv = [HEADER, '5.1.1,First,Police,4,', '5.1.1,Again,Police,,', 'x y,Bad number,Police,,', '5.1.9,Unknown principle,Police,,6', '5.2.0,,Police,,', '5.3.1,Text,Police,see above,'].join('\n');
    try {
      readPlan(csv, principles);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FileProblems);
      expect((e as FileProblems).problems).toEqual([
        'line 3: action 5.1.1 appears twice',
        'line 4: "x y" is not an action number like 5.1.3',
        "line 5: Enabling Principle 6 is not one of the partnership's principles",
        'line 6: action 5.2.0 has no text',
        'line 7: no principle number found in "see above"',
      ]);
    }
  });

  it('refuses a file without the headings', () => {
    expect(() => readPlan('number,action\n1,x', principles)).toThrow(/line 1: the first row must be the column headings/);
  });

  it('reads principle references in the forms seed 004 uses', () => {
    expect(principleRefs('4; 3', 'strategic')).toEqual([{ kind: 'strategic', number: 4 }, { kind: 'strategic', number: 3 }]);
    expect(principleRefs('<p><i>[Strategic principle 4]</i> text</p>', 'enabling')).toEqual([{ kind: 'strategic', number: 4 }]);
    expect(principleRefs('', 'enabling')).toEqual([]);
    expect(principleRefs('text only', 'enabling')).toBeNull();
  });
});
