// The kinds of warning the checks give: warnings, never blocks. Each names the figures that cannot all be true (or
// that a careful reader would look at twice) and says why in one line.

export const WARNING_KINDS = [
  'cumulative_step_down',
  'retroactive_jump',
  'parts_exceed_whole',
  'claim_after_publication',
  'future_date',
  'fractional_count',
  'duplicate_claim',
  'excerpt_mismatch',
  'excerpt_not_in_document',
] as const;
export type WarningKind = (typeof WARNING_KINDS)[number];

/** What each kind means, in the words a Checks view shows beside its count. */
export const WARNING_LABELS: Record<WarningKind, string> = {
  cumulative_step_down: 'A running total falls',
  retroactive_jump: 'A running total jumps',
  parts_exceed_whole: 'Parts exceed their whole',
  claim_after_publication: 'Dated after its publication',
  future_date: 'Dated in the future',
  fractional_count: 'A fraction of a count',
  duplicate_claim: 'The same claim twice',
  excerpt_mismatch: 'The excerpt does not state the number',
  excerpt_not_in_document: 'The excerpt is not in the document',
};

/** A cumulative rise this many times the claimant's recent daily rises is a retroactive jump, unless the metric says. */
export const DEFAULT_JUMP_FACTOR = 10;
