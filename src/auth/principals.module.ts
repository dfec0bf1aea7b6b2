import { Module } from '@nestjs/common';
import type { Config } from '../config/config';
import { CONFIG } from '../config/config.token';
import { PrincipalRegistry } from './principal.registry';
import { loadPrincipals } from './principals-loader';

const PERMISSIVE_DEFAULT_ACCOUNT = '000000000000';

/** The principals every API authenticates against, loaded once at start. */
@Module({
  providers: [
    {
      provide: PrincipalRegistry,
      inject: [CONFIG],
      useFactory: (config: Config) => {
        const principals = loadPrincipals(
          { principalsFile: config.principalsFile, bootstrap: config.bootstrapPrincipal, dataDir: config.dataDir },
          // Plain text, once: a person has to read and copy it.
          (principal, file) => console.log(announcement(principal, file, config)),
        );
        if (!config.permissive) return new PrincipalRegistry(principals);
        // A sandbox account by default (LocalStack's): never a configured principal's unless asked for.
        const accountId = config.permissive.accountId ?? PERMISSIVE_DEFAULT_ACCOUNT;
        // On stderr whatever LOG_LEVEL says: this must not be missed.
        process.stderr.write(`${permissiveWarning(accountId)}\n`);
        return new PrincipalRegistry(principals, { accountId });
      },
    },
  ],
  exports: [PrincipalRegistry],
})
export class PrincipalsModule {}

/** Printed once, when the first start generated a credential: how to point the AWS CLI here. */
function announcement(
  principal: { accessKeyId: string; secretAccessKey: string; accountId: string },
  file: string,
  config: Config,
): string {
  return [
    `No credentials were configured, so one was generated and saved in ${file} (mode 0600). It is shown only now:`,
    `  aws configure set aws_access_key_id ${principal.accessKeyId} --profile aliastrail`,
    `  aws configure set aws_secret_access_key ${principal.secretAccessKey} --profile aliastrail`,
    `  aws configure set region us-east-1 --profile aliastrail`,
    `  aws --profile aliastrail --endpoint-url http://${config.host}:${config.port} kms list-aliases`,
    `(account ${principal.accountId})`,
  ].join('\n');
}

/** Logged at every start in permissive mode: nobody should run it by accident. */
function permissiveWarning(accountId: string): string {
  return [
    '!'.repeat(100),
    `ALIASTRAIL_AUTH=permissive: ANY access key (test/test included) is accepted WITHOUT checking its signature,`,
    `as an IAM user of account ${accountId} with full KMS access to it. For local development only: it listens`,
    'on loopback only and is refused when NODE_ENV=production. Configured principals are still checked.',
    '!'.repeat(100),
  ].join('\n');
}
