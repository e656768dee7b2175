// A Map that counts its writes, so a reader (the Resource Graph index) can tell cheaply whether the
// store changed since it last looked, without diffing 100k entries.
export class VersionedMap<K, V> extends Map<K, V> {
  private writes = 0;

  get version(): number {
    return this.writes;
  }

  override set(key: K, value: V): this {
    this.writes = (this.writes ?? 0) + 1; // Map's constructor may call set before fields are initialised
    return super.set(key, value);
  }

  override delete(key: K): boolean {
    const existed = super.delete(key);
    if (existed) this.writes++;
    return existed;
  }

  override clear(): void {
    this.writes++;
    super.clear();
  }
}
