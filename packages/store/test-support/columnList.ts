/** Test support: column names for a statement's text, where a parameter cannot go; only plain identifiers pass. */
export function columnList(columns: readonly string[], cast: Readonly<Record<string, string>> = {}): string {
  if (columns.length === 0) throw new Error('no columns')
  return columns
    .map((column) => {
      if (!/^[a-z_][a-z0-9_]*$/.test(column)) throw new Error(`not a column name: ${column}`)
      const type = cast[column]
      return type === undefined ? column : `${column}::${type} as ${column}`
    })
    .join(', ')
}
