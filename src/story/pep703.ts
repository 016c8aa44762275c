// The section titles of PEP 703 ("Making the Global Interpreter Lock Optional in CPython"), as
// the PEP spells them (code markup dropped), so that a story's `pep703:` list can be checked and
// linked. The anchor is docutils' id for the title, as on peps.python.org/pep-0703/.

export const PEP703_URL = 'https://peps.python.org/pep-0703/'

export const PEP703_SECTIONS = [
  'Abstract',
  'Motivation',
  'Specification',
  'Build Configuration Changes',
  'Overview of CPython Changes',
  'Reference Counting',
  'Immortalization',
  'Biased Reference Counting',
  'Default (0b00)',
  'Weakrefs (0b01)',
  'Queued (0b10)',
  'Merged (0b11)',
  'Reference counting pseudo-code',
  'Deferred Reference Counting',
  'Garbage Collector Modifications for Deferred Reference Counting',
  'Reference Counting Type Objects',
  'Memory Management',
  'CPython Free Lists',
  'Garbage Collection (Cycle Collection)',
  'Stop-the-World',
  'Thread States',
  'Generations',
  'Integration With Deferred and Biased Reference Counting',
  'Container Thread-Safety',
  'Borrowed References',
  'Python Critical Sections',
  'Optimistically Avoiding Locking',
  'Mimalloc Changes for Optimistic list and dict Access',
  'Mimalloc Page Reuse',
  'Optimistic dict and list Access Summary',
  'Specializing Interpreter',
  'Py_mod_gil Slot',
  'PYTHONGIL Environment Variable',
  'Rationale',
  'Non-Generational Garbage Collection',
  'Optimistic Avoiding Locking in dict and list Accesses',
  'Backwards Compatibility',
  'Performance',
  'Alternatives',
  'Rejected Ideas',
  'Why Not Use a Concurrent Garbage Collector?',
  'Why Not Use PEP 683 Immortalization?',
  'Open Issues',
] as const

export type Pep703Section = (typeof PEP703_SECTIONS)[number]

/** docutils' section id: lower case, every run of other characters one hyphen. */
export function pep703Anchor(section: string): string {
  return section
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}

/** The address of a section of PEP 703. */
export function pep703Link(section: string): string {
  return `${PEP703_URL}#${pep703Anchor(section)}`
}
