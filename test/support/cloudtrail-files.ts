import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';

/** A CloudTrail record of a KMS call, as AWS logs it (the fields an import reads, and a few more). */
export function kmsRecord(
  fields: { accountId: string; region?: string; eventName: string; eventTime: string; eventID?: string } & Record<
    string,
    unknown
  >,
) {
  const { accountId, region = 'us-east-1', eventName, eventTime, eventID = randomUUID(), ...rest } = fields;
  return {
    eventVersion: '1.08',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLE',
      arn: `arn:aws:iam::${accountId}:user/Alice`,
      accountId,
      userName: 'Alice',
    },
    eventTime,
    eventSource: 'kms.amazonaws.com',
    eventName,
    awsRegion: region,
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: {},
    responseElements: null,
    requestID: randomUUID(),
    eventID,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: accountId,
    eventCategory: 'Management',
    ...rest,
  };
}

/** Another service's record, which an import counts and skips. */
export function s3Record(accountId: string, eventTime: string) {
  return {
    eventVersion: '1.08',
    userIdentity: { type: 'IAMUser', accountId, arn: `arn:aws:iam::${accountId}:user/Bob` },
    eventTime,
    eventSource: 's3.amazonaws.com',
    eventName: 'PutObject',
    awsRegion: 'us-east-1',
    eventID: randomUUID(),
    recipientAccountId: accountId,
  };
}

/** Writes a log file as CloudTrail delivers it to S3 (gzipped `{"Records": […]}`) under `root`. */
export function writeS3LogFile(root: string, accountId: string, region: string, name: string, records: object[]) {
  const dir = path.join(root, 'AWSLogs', accountId, 'CloudTrail', region, '2026', '03', '01');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${accountId}_CloudTrail_${region}_${name}.json.gz`);
  fs.writeFileSync(file, gzipSync(JSON.stringify({ Records: records })));
  return file;
}

/** Writes saved `aws cloudtrail lookup-events` output: each record as its CloudTrailEvent string. */
export function writeLookupEventsFile(file: string, records: readonly Record<string, unknown>[]) {
  const events = records.map((record) => ({
    EventId: record.eventID,
    EventName: record.eventName,
    ReadOnly: String(record.readOnly ?? false),
    EventTime: record.eventTime,
    EventSource: record.eventSource,
    Username: 'Alice',
    Resources: [],
    CloudTrailEvent: JSON.stringify(record),
  }));
  fs.writeFileSync(file, JSON.stringify({ Events: events, NextToken: 'token' }, null, 4));
  return file;
}

const keyArnOf = (accountId: string, region: string, keyId: string) =>
  `arn:aws:kms:${region}:${accountId}:key/${keyId}`;

/**
 * A record of an alias change as AWS logs it (spec §12.1–12.3): the alias in requestParameters, the
 * resolved key ARN in responseElements (for DeleteAlias, the key it pointed to), both in resources.
 */
export function aliasChangeRecord(
  accountId: string,
  eventName: 'CreateAlias' | 'UpdateAlias' | 'DeleteAlias',
  eventTime: string,
  aliasName: string,
  keyId: string,
  extra: Record<string, unknown> = {},
) {
  const region = (extra.region as string | undefined) ?? 'us-east-1';
  const arn = keyArnOf(accountId, region, keyId);
  return kmsRecord({
    accountId,
    eventName,
    eventTime,
    requestParameters: eventName === 'DeleteAlias' ? { aliasName } : { aliasName, targetKeyId: keyId },
    responseElements: { keyId: arn },
    resources: [
      { accountId, type: 'AWS::KMS::Key', ARN: `arn:aws:kms:${region}:${accountId}:${aliasName}` },
      { accountId, type: 'AWS::KMS::Key', ARN: arn },
    ],
    ...extra,
  });
}

/** CreateKey, or the DeleteKey service event at the end of a waiting period (spec §12.5, §12.7). */
export function keyChangeRecord(
  accountId: string,
  eventName: 'CreateKey' | 'DeleteKey',
  eventTime: string,
  keyId: string,
) {
  const arn = keyArnOf(accountId, 'us-east-1', keyId);
  const resources = [{ accountId, type: 'AWS::KMS::Key', ARN: arn }];
  if (eventName === 'DeleteKey')
    return kmsRecord({
      accountId,
      eventName,
      eventTime,
      eventType: 'AwsServiceEvent',
      userIdentity: { accountId, invokedBy: 'AWS Internal' },
      requestParameters: null,
      requestID: undefined,
      resources,
    });
  return kmsRecord({
    accountId,
    eventName,
    eventTime,
    requestParameters: { keySpec: 'SYMMETRIC_DEFAULT', keyUsage: 'ENCRYPT_DECRYPT' },
    responseElements: { keyMetadata: { aWSAccountId: accountId, keyId, arn, keyState: 'Enabled', enabled: true } },
    resources,
  });
}
