import { describe, expect, it } from 'vitest';
import type { Item } from '../../../../lambdas/core/common/types.ts';
import { classify, explain } from '../../../../lambdas/core/rules/index.ts';
import { defaultRules } from './helpers.ts';

// Guards that do not swallow violence: each guard silences its trap, and its violent twins (a guard
// word with a violent reading in context, or beside a report of killing or fighting) still alert.
// Every headline is invented.
interface GuardTwins {
  readonly guard: string;
  readonly silenced: Item;
  readonly twins: readonly Item[];
}

const h = (title: string, summary = ''): Item => ({ id: 'guard-twin', title, summary });

const CASES: readonly GuardTwins[] = [
  {
    guard: 'storm-weather',
    silenced: h('Storm kills three soldiers at army camp'),
    twins: [
      h('RSF fighters storm El Fasher, killing scores of civilians'),
      h('Militants storm hotel in the capital, taking guests hostage'),
      h('Troops storm the hospital as fighting rages'),
    ],
  },
  {
    guard: 'disaster',
    silenced: h('Floods kill dozens of soldiers as rivers burst their banks'),
    twins: [h('Shelling kills dozens in flooded town as fighting continues')],
  },
  {
    guard: 'riot',
    silenced: h('Soldiers injured in brawl at nightclub'),
    twins: [h('Militants open fire on rioters, killing five')],
  },
  {
    guard: 'arms-supply',
    silenced: h('Senate approves funding for missiles fired from drones'),
    twins: [h('Long-range missiles fired at the capital kill 11')],
  },
  {
    guard: 'explainer',
    silenced: h(
      'What we know so far about the border attack',
      'Militants killed 40 people on Saturday.'
    ),
    twins: [h('Militants kill 40 in border attack', 'Survivors describe what they saw.')],
  },
  {
    guard: 'headline-analysis',
    silenced: h('Why militants attacked the border town', 'Gunmen killed 40 people.'),
    twins: [h('Militants attack border town, killing 40')],
  },
  {
    guard: 'headline-how',
    silenced: h('How the militant attack on the army caught everyone off guard'),
    twins: [h('How gunmen killed 40 at a wedding party'), h('How militants took 100 hostages')],
  },
  {
    guard: 'headline-reaction',
    silenced: h('Leaders condemn militant attack on border town', 'Gunmen killed dozens.'),
    twins: [
      h('Rocket attack kills 12 as leaders condemn escalation'),
      h('Army pounds rebel positions as allies pledge support'),
    ],
  },
  {
    guard: 'condemnation',
    silenced: h('', 'The ministry condemned the attack by militants on the border post.'),
    twins: [h('', 'The ministry condemned the attack in which militants killed 12 soldiers.')],
  },
  {
    guard: 'background-clause',
    silenced: h('Airlines suspend flights after militants launched an attack on the airport'),
    twins: [h('Militants launch attack on airport, killing guards')],
  },
  {
    guard: 'inquiry',
    silenced: h('Soldiers killed unarmed villagers, inquiry told'),
    twins: [h('Soldiers kill unarmed villagers in raid, witnesses say')],
  },
  {
    guard: 'historical',
    silenced: h('Veterans remember how troops were killed in the surprise attack 50 years ago'),
    twins: [h('Militants attack anniversary parade, killing eight soldiers')],
  },
  {
    guard: 'crime',
    silenced: h('Gunmen at large after fatal shooting at a nightclub'),
    twins: [h('Gunmen kill 12 in attack on army convoy')],
  },
  {
    guard: 'rescue',
    silenced: h('Rescuers search rubble after soldiers killed in collapse', 'Troops were trapped.'),
    twins: [
      h('At least 200 bodies recovered after militants targeted a festival', 'Rescuers said.'),
    ],
  },
];

describe('default rules: guards and their violent twins', () => {
  it.each(CASES.map((c) => [c.guard, c] as const))('guard %s silences its trap', (guard, c) => {
    // Act
    const result = classify(c.silenced, defaultRules());
    const why = explain(c.silenced, defaultRules());

    // Assess
    expect(result.escalation, why).toBe(false);
    expect(why).toContain(`guard ${guard} `);
  });

  it.each(
    CASES.flatMap((c) =>
      c.twins.map((twin) => [c.guard, `${twin.title}${twin.summary}`, twin] as const)
    )
  )('guard %s leaves the violent twin alone: %s', (_guard, _text, twin) => {
    // Act
    const result = classify(twin, defaultRules());

    // Assess
    expect(result.escalation, explain(twin, defaultRules())).toBe(true);
  });
});
