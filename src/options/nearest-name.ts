// For boot-time messages about a misspelt option: the known name it most likely meant.

/** Names longer than this are not compared (an option name is short; this keeps the work bounded). */
const MAX_COMPARED_LENGTH = 64;

/**
 * Edit distance between `a` and `b`, case-insensitive: insertions, deletions,
 * substitutions and swaps of two neighbouring letters (`authGaurd` is one edit from
 * `authGuard`) each count one.
 */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  // rows[i][j]: the distance between the first i letters of s and the first j of t.
  const rows: number[][] = Array.from({ length: s.length + 1 }, (_, i) =>
    Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1])
        best = Math.min(best, rows[i - 2][j - 2] + 1);
      rows[i][j] = best;
    }
  }
  return rows[s.length][t.length];
}

/**
 * The candidate closest to `name`, when it is close enough to be what was meant (at
 * most a third of the longer name's letters differ), else one that `name` begins
 * (`maxAge` for `maxAgeSeconds`); undefined otherwise.
 */
export function nearestName(name: string, candidates: readonly string[]): string | undefined {
  if (name.length > MAX_COMPARED_LENGTH) return undefined;
  let nearest: string | undefined;
  let nearestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance < nearestDistance && distance <= Math.ceil(Math.max(name.length, candidate.length) / 3)) {
      nearest = candidate;
      nearestDistance = distance;
    }
  }
  if (nearest !== undefined || name.length < 3) return nearest;
  return candidates.find((candidate) => candidate.toLowerCase().startsWith(name.toLowerCase()));
}
