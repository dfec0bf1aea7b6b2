import { KMS_CALL_RECORDED, type KmsCallRecorded } from '../../audit/kms-call-recorded';
import { CALL_RECORDED_TYPE, type CallRecord } from './call-record';

describe('the call record KmsWriter appends', () => {
  it("is audit's KmsCallRecorded: its name, and a shape that type-checks as one", () => {
    const record: CallRecord = {
      accountId: '111122223333',
      region: 'eu-west-1',
      eventName: 'RotateKeyOnDemand',
      readOnly: false,
      resources: [],
      responseElements: null,
    };
    const asAudit: KmsCallRecorded = record;
    expect(CALL_RECORDED_TYPE).toBe(KMS_CALL_RECORDED);
    expect(asAudit).toBe(record);
  });
});
