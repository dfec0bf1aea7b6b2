import * as path from 'node:path';
import { importCloudTrail } from '../../src/cloudtrail-import/cloudtrail-importer';
import { listCloudTrailFiles } from '../../src/cloudtrail-import/cloudtrail-files';
import { aliasChangeRecord, keyChangeRecord, writeS3LogFile } from './cloudtrail-files';
import type { ImportingApp } from './importing-app';
import { queryApi } from './query-client';

/** An observed account and a principal of it that may read its history and describe its keys. */
export const OBSERVED = '777788889999';
export const observer = {
  accessKeyId: 'AKIAOBSERVEDMODELS01',
  secretAccessKey: 'observed-models-secret-0000000000000000',
  accountId: OBSERVED,
  arn: `arn:aws:iam::${OBSERVED}:user/Auditor`,
  userName: 'Auditor',
  // The key tables show only what the caller may read through KMS, as for a served account.
  policies: [
    {
      Statement: {
        Effect: 'Allow',
        Action: [
          'aliastrail:*',
          'kms:DescribeKey',
          'kms:ListResourceTags',
          'kms:GetKeyPolicy',
          'kms:GetKeyRotationStatus',
        ],
        Resource: '*',
      },
    },
  ],
};
export const K1 = '11111111-1111-4111-8111-111111111111';
export const K2 = '22222222-2222-4222-8222-222222222222';
export const K3 = '33333333-3333-4333-8333-333333333333';
export const T = (hhmm: string) => `2026-03-01T${hhmm}:00Z`;

/**
 * The first delivery: two keys; alias/pay created then moved (out of order in the file) and a
 * refused move; alias/legacy, created before the logs, moved; alias/old, deleted.
 */
export const firstRecords = () => [
  keyChangeRecord(OBSERVED, 'CreateKey', T('10:00'), K1),
  keyChangeRecord(OBSERVED, 'CreateKey', T('10:01'), K2),
  // Out of order within the file, as CloudTrail may write them.
  aliasChangeRecord(OBSERVED, 'UpdateAlias', T('12:00'), 'alias/pay', K2),
  aliasChangeRecord(OBSERVED, 'CreateAlias', T('10:05'), 'alias/pay', K1),
  aliasChangeRecord(OBSERVED, 'UpdateAlias', T('12:30'), 'alias/pay', K1, {
    errorCode: 'NotFoundException',
    errorMessage: 'Alias is not found.',
    responseElements: null,
  }),
  // Created before the logs begin: its first record retargets it.
  aliasChangeRecord(OBSERVED, 'UpdateAlias', T('11:00'), 'alias/legacy', K2),
  aliasChangeRecord(OBSERVED, 'DeleteAlias', T('11:30'), 'alias/old', K1),
];

/** A late delivery: a key and a move older than the first delivery's last records, and K2's deletion. */
export const lateRecords = () => [
  keyChangeRecord(OBSERVED, 'CreateKey', T('11:20'), K3),
  aliasChangeRecord(OBSERVED, 'UpdateAlias', T('11:30'), 'alias/pay', K3),
  // The end of K2's waiting period: its aliases go with it.
  keyChangeRecord(OBSERVED, 'DeleteKey', T('13:00'), K2),
];

/** Imports records as one S3 log file of the observed account, and asks its REST questions. */
export function observedAccount(app: () => ImportingApp) {
  return {
    importFile: async (name: string, records: object[]) => {
      const dir = path.join(app().root, name);
      writeS3LogFile(dir, OBSERVED, 'us-east-1', name, records);
      return importCloudTrail(app().db, await listCloudTrailFiles([dir]));
    },
    /** A question once the model has applied every import so far. */
    ask: async (pathAndQuery: string) => {
      const separator = pathAndQuery.includes('?') ? '&' : '?';
      return queryApi(app().kms.url, `/api/regions/us-east-1/${pathAndQuery}${separator}waitForPosition=latest`, {
        credentials: observer,
        region: 'us-east-1',
      });
    },
  };
}
