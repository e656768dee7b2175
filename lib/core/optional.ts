/** `{ key: value }` when the value is present, `{}` otherwise: for spreading into exact optional types. */
export function optionalProp<K extends string, V>(key: K, value: V | undefined | null): { [P in K]?: V } {
  return (value === undefined || value === null ? {} : { [key]: value }) as { [P in K]?: V };
}
