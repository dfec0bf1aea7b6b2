/**
 * The deepest nesting of objects and arrays an AWS JSON body may have: the KMS and CloudTrail APIs
 * refuse a deeper body before parsing it, and the audit trail stores no deeper value. No KMS or
 * CloudTrail input nests past 4 levels (a list of tag structures); AWS publishes no limit of its own.
 * 64 keeps every recursive walk over a body (JSON.stringify, the CloudTrail record's key casing) far
 * from the stack's end, which 50,000 levels reached.
 */
export const MAX_JSON_DEPTH = 64;
