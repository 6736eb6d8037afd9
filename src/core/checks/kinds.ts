// The table of checks: one per warning kind, in the order a Checks view lists them.
import type { WarningKind } from '../../shared/warnings';
import type { Check } from './check';
import { claimAfterPublication } from './claimAfterPublication';
import { cumulativeStepDown } from './cumulativeStepDown';
import { duplicateClaim } from './duplicateClaim';
import { excerptMismatch } from './excerptMismatch';
import { excerptNotInDocument } from './excerptNotInDocument';
import { fractionalCount } from './fractionalCount';
import { futureDate } from './futureDate';
import { partsExceedWhole } from './partsExceedWhole';
import { retroactiveJump } from './retroactiveJump';

export const CHECKS: Record<WarningKind, Check> = {
  cumulative_step_down: cumulativeStepDown,
  retroactive_jump: retroactiveJump,
  parts_exceed_whole: partsExceedWhole,
  claim_after_publication: claimAfterPublication,
  future_date: futureDate,
  fractional_count: fractionalCount,
  duplicate_claim: duplicateClaim,
  excerpt_mismatch: excerptMismatch,
  excerpt_not_in_document: excerptNotInDocument,
};
