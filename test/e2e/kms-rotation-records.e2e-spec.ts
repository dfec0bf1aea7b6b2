import { type Event, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CreateKeyCommand, DescribeKeyCommand, type KMSClient, RotateKeyOnDemandCommand } from '@aws-sdk/client-kms';
import { sleep } from '../support/events';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { TEST_CREDENTIALS } from '../support/test-app';

const REGION = 'us-west-2';
const arnOf = (keyId: string) => `arn:aws:kms:${REGION}:${TEST_CREDENTIALS.accountId}:key/${keyId}`;

/** The records of an on-demand rotation (kms-crypto §8.2, §8.4), exactly. */
describe('the records of an on-demand rotation', () => {
  let kms: KmsTestApp;
  let client: KMSClient;

  beforeAll(async () => {
    kms = await startKmsApp();
    client = kms.client();
  });
  afterAll(() => kms.close());

  const materialId = async (KeyId: string) =>
    (await client.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata!.CurrentKeyMaterialId!;

  // kms-crypto §8.4: AWS writes the API call's record and a RotateKey service event for the switch.
  it('records an on-demand rotation twice: the RotateKeyOnDemand call, and the RotateKey service event', async () => {
    const trail = kms.trail({ region: REGION });
    const own = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const before = await materialId(own);
    const { $metadata } = await client.send(new RotateKeyOnDemandCommand({ KeyId: own }));
    const after = await materialId(own);
    expect(after).not.toBe(before);
    // The audit projection follows the log a moment later: the three records once it has them.
    let ofKey: Event[] = [];
    for (let tries = 0; ofKey.length < 3 && tries < 200; tries++) {
      if (tries > 0) await sleep(50);
      const { Events } = await trail.send(
        new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: own }] }),
      );
      ofKey = Events!.filter((e) => e.EventName !== 'DescribeKey');
    }
    // Newest first: the switch follows the call in the log, at the same time.
    expect(ofKey.map((e) => e.EventName)).toEqual(['RotateKey', 'RotateKeyOnDemand', 'CreateKey']);
    const [service, call] = ofKey.map((e) => JSON.parse(e.CloudTrailEvent!) as Record<string, unknown>);
    const resources = [{ accountId: TEST_CREDENTIALS.accountId, type: 'AWS::KMS::Key', ARN: arnOf(own) }];
    const common = {
      eventVersion: '1.08',
      eventSource: 'kms.amazonaws.com',
      awsRegion: REGION,
      readOnly: false,
      resources,
      managementEvent: true,
      recipientAccountId: TEST_CREDENTIALS.accountId,
      eventCategory: 'Management',
    };
    expect(call).toEqual({
      ...common,
      userIdentity: expect.objectContaining({
        type: 'IAMUser',
        accountId: TEST_CREDENTIALS.accountId,
        accessKeyId: TEST_CREDENTIALS.accessKeyId,
      }),
      eventTime: service!.eventTime,
      eventName: 'RotateKeyOnDemand',
      sourceIPAddress: '127.0.0.1',
      userAgent: expect.stringMatching(/aws-sdk-js/),
      requestParameters: { keyId: own },
      responseElements: { keyId: arnOf(own) },
      requestID: $metadata.requestId,
      eventID: ofKey[1]!.EventId,
      eventType: 'AwsApiCall',
    });
    expect(service).toEqual({
      ...common,
      userIdentity: { accountId: TEST_CREDENTIALS.accountId, invokedBy: 'AWS Internal' },
      eventTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
      eventName: 'RotateKey',
      sourceIPAddress: 'AWS Internal',
      userAgent: 'AWS Internal',
      requestParameters: null,
      responseElements: null,
      eventID: ofKey[0]!.EventId,
      eventType: 'AwsServiceEvent',
      serviceEventDetails: {
        rotationType: 'ON_DEMAND',
        keyOrigin: 'AWS_KMS',
        previousKeyMaterialId: before,
        currentKeyMaterialId: after,
      },
    });
    // Field order as spec §12 writes it; the service event has no requestID.
    expect(Object.keys(call!)).toEqual(RECORD_FIELDS.filter((f) => f !== 'serviceEventDetails'));
    expect(Object.keys(service!)).toEqual(RECORD_FIELDS.filter((f) => f !== 'requestID'));
    expect(ofKey[0]!.EventId).not.toBe(ofKey[1]!.EventId);
    trail.destroy();
  });
});

const RECORD_FIELDS = [
  'eventVersion',
  'userIdentity',
  'eventTime',
  'eventSource',
  'eventName',
  'awsRegion',
  'sourceIPAddress',
  'userAgent',
  'requestParameters',
  'responseElements',
  'requestID',
  'eventID',
  'readOnly',
  'resources',
  'eventType',
  'managementEvent',
  'recipientAccountId',
  'serviceEventDetails',
  'eventCategory',
];
