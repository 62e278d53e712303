import { show } from '../core';

/** A shared library for the `libraries` section (`lib('name@version')`). */
export class Library {
  /** The library `name`, optionally pinned to a `version` (branch, tag or commit). */
  public static of(name: string, version?: string): Library {
    return new Library(name, version);
  }

  private constructor(
    /** The library name as configured on the controller. */
    public readonly name: string,
    /** The version, if pinned. */
    public readonly version?: string,
  ) {}

  /** `name@version`. */
  public toString(): string {
    return this.version === undefined ? this.name : `${this.name}@${this.version}`;
  }

  /** @internal */
  public _problems(): Array<{ rule: string; message: string; fix: string }> {
    const out = [];
    if (this.name.trim() === '' || this.name.includes('@')) {
      out.push({ rule: 'library-name', message: `library name ${show(this.name)} is empty or contains '@'`,
        fix: 'give the library name and pass the version separately: Library.of(name, version)' });
    }
    if (this.version !== undefined && this.version.trim() === '') {
      out.push({ rule: 'library-name', message: `library ${show(this.name)} has an empty version`, fix: 'omit the version or give one' });
    }
    return out;
  }
}
