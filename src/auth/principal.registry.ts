import type { Principal } from './principal';

/** The principals the service accepts, by access key id. */
export class PrincipalRegistry {
  private readonly byAccessKey: ReadonlyMap<string, Principal>;

  constructor(principals: readonly Principal[]) {
    this.byAccessKey = new Map(principals.map((p) => [p.accessKeyId, p]));
  }

  find(accessKeyId: string): Principal | undefined {
    return this.byAccessKey.get(accessKeyId);
  }
}
