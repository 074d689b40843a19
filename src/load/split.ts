// One run split over N workers (`load --workers N`): the open model's requests are numbered over the
// whole run, request g due at g / qps seconds after a start every worker shares, and worker w sends
// exactly those with g mod N = w. The workers' sends interleave as one client's connections do, the
// rate adds up to the target exactly, and no request is sent twice or by no one.

/** Worker `index` of `of`: it sends requests index, index + of, index + 2·of, … of the whole run. */
export interface ScheduleShare {
  index: number;
  of: number;
}

/** The whole run, as one worker. */
export const WHOLE: ScheduleShare = { index: 0, of: 1 };

/** How many of `total` numbered requests (0 … total − 1) fall to `share`; Infinity stays Infinity. */
export function shareCount(total: number, share: ScheduleShare): number {
  if (total === Number.POSITIVE_INFINITY) return total;
  return total > share.index ? Math.ceil((total - share.index) / share.of) : 0;
}

/** The shares of a run over `workers` workers, in order. */
export function shares(workers: number): ScheduleShare[] {
  return Array.from({ length: workers }, (_, index) => ({ index, of: workers }));
}
