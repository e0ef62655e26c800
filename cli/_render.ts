/**
 * Human renderings shared by the commands: aligned tables.
 *
 * @module
 */

/**
 * Renders rows as an aligned table with a header line; `(none)` for no rows.
 *
 * @param rows The rows.
 * @param columns Column titles and how to read each cell.
 * @returns The text.
 */
export function table<T>(
  rows: readonly T[],
  columns: readonly [title: string, cell: (row: T) => unknown][],
): string {
  if (rows.length === 0) return "(none)";
  const cells = rows.map((r) =>
    columns.map(([, read]) => {
      const v = read(r);
      return v === undefined || v === null
        ? "-"
        : typeof v === "object"
        ? JSON.stringify(v)
        : String(v);
    })
  );
  const widths = columns.map(([title], i) =>
    Math.max(title.length, ...cells.map((c) => c[i].length))
  );
  const line = (values: string[]) =>
    values.map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i]))).join("  ");
  return [line(columns.map(([title]) => title.toUpperCase())), ...cells.map(line)].join("\n");
}
