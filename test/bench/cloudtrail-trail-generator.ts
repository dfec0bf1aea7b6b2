import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface TrailShape {
  readonly records: number;
  readonly days: number;
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
  /** The share of records KMS logged; the rest are other services'. */
  readonly kmsShare: number;
}

export const BENCH_TRAIL: TrailShape = {
  records: 1_000_000,
  days: 90,
  accounts: ['600000000001', '600000000002', '600000000003', '600000000004', '600000000005'],
  regions: ['us-east-1', 'eu-west-1', 'ap-southeast-2'],
  kmsShare: 0.05,
};

/** Aliases and keys per account and Region. */
const ALIASES = 20;
const KEYS = 10;
const START = Date.UTC(2026, 0, 1);

const keyId = (i: number) => `${String(i).padStart(8, '0')}-1111-4111-8111-111111111111`;

function identity(accountId: string, user: string) {
  return {
    type: 'IAMUser',
    principalId: `AIDA${user.toUpperCase()}EXAMPLE`,
    arn: `arn:aws:iam::${accountId}:user/${user}`,
    accountId,
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    userName: user,
  };
}

const common = (accountId: string, region: string, time: number, source: string, name: string) => ({
  eventVersion: '1.08',
  userIdentity: identity(accountId, name.startsWith('Get') ? 'reader' : 'deployer'),
  eventTime: new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  eventSource: source,
  eventName: name,
  awsRegion: region,
  sourceIPAddress: '198.51.100.23',
  userAgent: 'aws-sdk-java/2.25.6 Linux/6.1 OpenJDK_64-Bit_Server_VM/17.0.10',
});

const OTHER = [
  ['s3.amazonaws.com', 'GetObject'],
  ['s3.amazonaws.com', 'PutObject'],
  ['ec2.amazonaws.com', 'DescribeInstances'],
  ['sts.amazonaws.com', 'AssumeRole'],
  ['dynamodb.amazonaws.com', 'GetItem'],
] as const;

function otherRecord(accountId: string, region: string, time: number, i: number) {
  const [source, name] = OTHER[i % OTHER.length]!;
  return {
    ...common(accountId, region, time, source, name),
    requestParameters: {
      bucketName: 'example-data-bucket',
      key: `reports/2026/${i}.parquet`,
      Host: 's3.amazonaws.com',
    },
    responseElements: null,
    additionalEventData: { bytesTransferredIn: 0, bytesTransferredOut: 18231, 'x-amz-id-2': randomUUID() },
    requestID: randomUUID(),
    eventID: randomUUID(),
    readOnly: true,
    resources: [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::example-data-bucket/reports/2026/${i}.parquet` }],
    eventType: 'AwsApiCall',
    managementEvent: false,
    recipientAccountId: accountId,
    eventCategory: 'Data',
  };
}

/** A scope's KMS record: mostly crypto calls through its aliases, now and then an alias moving. */
function kmsRecord(accountId: string, region: string, time: number, state: { aliases: number[]; n: number }) {
  const n = state.n++;
  const keyArn = (k: number) => `arn:aws:kms:${region}:${accountId}:key/${keyId(k)}`;
  const alias = n % ALIASES;
  const change = state.aliases.length < ALIASES || n % 50 === 0;
  if (change) {
    const created = state.aliases.length < ALIASES;
    const target = (alias + n) % KEYS;
    if (created) state.aliases.push(target);
    else state.aliases[alias] = target;
    return {
      ...common(accountId, region, time, 'kms.amazonaws.com', created ? 'CreateAlias' : 'UpdateAlias'),
      requestParameters: { aliasName: `alias/app-${alias}`, targetKeyId: keyId(target) },
      responseElements: { keyId: keyArn(target) },
      requestID: randomUUID(),
      eventID: randomUUID(),
      readOnly: false,
      resources: [
        { accountId, type: 'AWS::KMS::Key', ARN: `arn:aws:kms:${region}:${accountId}:alias/app-${alias}` },
        { accountId, type: 'AWS::KMS::Key', ARN: keyArn(target) },
      ],
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: accountId,
      eventCategory: 'Management',
    };
  }
  const name = ['Encrypt', 'Decrypt', 'GenerateDataKey'][n % 3]!;
  return {
    ...common(accountId, region, time, 'kms.amazonaws.com', name),
    requestParameters: {
      keyId: `alias/app-${alias}`,
      encryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      encryptionContext: { 'aws:s3:arn': 'arn:aws:s3:::example-data-bucket' },
    },
    responseElements: null,
    requestID: randomUUID(),
    eventID: randomUUID(),
    readOnly: true,
    resources: [{ accountId, type: 'AWS::KMS::Key', ARN: keyArn(state.aliases[alias] ?? 0) }],
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: accountId,
    eventCategory: 'Management',
  };
}

/**
 * Writes a trail of `shape.records` records under `dir` in the S3 layout, one gzipped file per
 * account, Region and day (a trail delivers about every five minutes; files of a day keep the file
 * count workable here and cost an import more records per transaction, not fewer). Answers the
 * files, their bytes on disk and the KMS records written.
 */
export function generateTrail(dir: string, shape: TrailShape): { files: number; bytes: number; kms: number } {
  const scopes = shape.accounts.flatMap((a) => shape.regions.map((r) => [a, r] as const));
  const perFile = Math.ceil(shape.records / (scopes.length * shape.days));
  const states = new Map(scopes.map(([a, r]) => [`${a}/${r}`, { aliases: [] as number[], n: 0 }]));
  let written = 0;
  let bytes = 0;
  let files = 0;
  let kms = 0;
  const kmsEvery = Math.round(1 / shape.kmsShare);
  for (let day = 0; day < shape.days && written < shape.records; day++)
    for (const [accountId, region] of scopes) {
      if (written >= shape.records) break;
      const count = Math.min(perFile, shape.records - written);
      const records: object[] = [];
      for (let i = 0; i < count; i++) {
        const time = START + day * 86_400_000 + Math.floor((i / count) * 86_400_000);
        if ((written + i) % kmsEvery === 0) {
          records.push(kmsRecord(accountId, region, time, states.get(`${accountId}/${region}`)!));
          kms++;
        } else records.push(otherRecord(accountId, region, time, written + i));
      }
      written += count;
      const date = new Date(START + day * 86_400_000);
      const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()].map((v) =>
        String(v).padStart(2, '0'),
      );
      const folder = path.join(dir, 'AWSLogs', accountId, 'CloudTrail', region, y!, m!, d!);
      fs.mkdirSync(folder, { recursive: true });
      const body = gzipSync(JSON.stringify({ Records: records }));
      fs.writeFileSync(
        path.join(folder, `${accountId}_CloudTrail_${region}_${y}${m}${d}T0000Z_${files}.json.gz`),
        body,
      );
      bytes += body.length;
      files++;
    }
  return { files, bytes, kms };
}
