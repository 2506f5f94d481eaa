/**
 * Seat maps for tests and benchmarks: blocks of rows × seats, numbered left to right, with an aisle
 * in the middle of each row; rank = front rows first, centre seats first.
 */
export function theatreMap(options: { rows?: number; seatsPerRow?: number; aisleAfter?: number; category?: string; standing?: number } = {}) {
  const rows = options.rows ?? 5;
  const perRow = options.seatsPerRow ?? 10;
  const aisle = options.aisleAfter ?? Math.floor(perRow / 2);
  const category = options.category ?? 'stalls';
  const letters = (i: number) => (i < 26 ? String.fromCharCode(65 + i) : `${String.fromCharCode(65 + Math.floor(i / 26) - 1)}${String.fromCharCode(65 + (i % 26))}`);
  return {
    format: 'guichet.seatmap/1',
    width: perRow * 30 + 60,
    height: rows * 30 + 100,
    stage: { x: 30, y: 10, width: perRow * 30, height: 30, label: 'Stage' },
    categories: [{ key: category, name: 'Stalls', color: '#aa3344' }, ...(options.standing ? [{ key: 'pit', name: 'Pit' }] : [])],
    areas: [
      {
        key: 'main',
        name: 'Stalls',
        kind: 'seated',
        category,
        rows: Array.from({ length: rows }, (_, r) => ({
          label: letters(r),
          seats: Array.from({ length: perRow }, (_, s) => ({
            number: String(s + 1),
            x: 40 + s * 30 + (s >= aisle ? 20 : 0),
            y: 60 + r * 30,
            rank: r * perRow * 10 + Math.abs(2 * s + 1 - perRow) + 1,
            ...(s === aisle - 1 ? { aisle_after: true } : {}),
            ...(r === rows - 1 && s === 0 ? { flags: ['wheelchair'] } : {}),
          })),
        })),
      },
      ...(options.standing ? [{ key: 'pit', name: 'Pit', kind: 'standing', category: 'pit', capacity: options.standing }] : []),
    ],
  };
}
