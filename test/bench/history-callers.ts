import { randomUUID } from 'node:crypto';
import type { Principal } from '../../src/auth/principal';
import type { Scope } from '../../src/kms/domain/identifiers';
import type { KmsRequest } from '../../src/kms/kms-request';
import { callMetadata } from '../../src/kms/store/call-metadata';

/** A deterministic PRNG (mulberry32), so every run seeds the same history shape. */
export type Random = () => number;

export function randomFrom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** The accounts and Regions of the seeded history; the last one is the lag test's principal's. */
export const HISTORY_SCOPES: readonly Scope[] = [
  { accountId: '111122223333', region: 'us-east-1' },
  { accountId: '111122223333', region: 'eu-west-1' },
  { accountId: '444455556666', region: 'us-east-1' },
  { accountId: '777788889999', region: 'ap-southeast-2' },
  { accountId: '123456789012', region: 'us-west-2' },
];

/** Who calls, with how much of the traffic: automation writes most of it, people some. */
const PEOPLE = [
  { userName: 'terraform', weight: 0.4, agent: 'APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io)' },
  {
    userName: 'ci-deployer',
    weight: 0.3,
    agent: 'Boto3/1.35.36 md/Botocore#1.35.36 ua/2.0 os/linux#6.8.0 lang/python#3.12.7',
  },
  {
    userName: 'alice',
    weight: 0.15,
    agent:
      'aws-cli/2.18.0 md/awscrt#0.22.0 ua/2.0 os/macos#23.6.0 md/arch#arm64 lang/python#3.12.6 command/kms.update-alias',
  },
  {
    userName: 'bob',
    weight: 0.15,
    agent: 'aws-sdk-js/3.675.0 ua/2.1 os/linux#6.8.0 lang/js md/nodejs#20.18.0 api/kms#3.675.0',
  },
];

export interface Caller {
  readonly principal: Principal;
  readonly userAgent: string;
  readonly sourceIps: readonly string[];
}

/** Four principals per account, each with a user agent and a few source addresses. */
export function callersOf(accountId: string): Caller[] {
  return PEOPLE.map((person, i) => ({
    principal: {
      accessKeyId: `AKIA${accountId}${String(i).padStart(4, '0')}`,
      secretAccessKey: 'unused-by-the-seed-unused-by-the-seed-00',
      accountId,
      arn: `arn:aws:iam::${accountId}:user/${person.userName}`,
      userName: person.userName,
    },
    userAgent: person.agent,
    sourceIps: [1, 2, 3].map((n) => `10.${i}.${Number(accountId.slice(-3)) % 250}.${n * 17}`),
  }));
}

/** A caller drawn by the traffic weights. */
export function pickCaller(random: Random, callers: readonly Caller[]): Caller {
  let r = random();
  for (let i = 0; i < callers.length; i++) {
    r -= PEOPLE[i]!.weight;
    if (r < 0) return callers[i]!;
  }
  return callers[callers.length - 1]!;
}

/** The metadata the service gives every event of an API call: the real callMetadata, on a request as it would see it. */
export function apiMetadata(
  random: Random,
  caller: Caller,
  scope: Scope,
  operation: string,
  params: Record<string, unknown>,
  at: Date,
): Record<string, unknown> {
  const request: KmsRequest = {
    requestId: randomUUID(),
    operation,
    principal: caller.principal,
    scope,
    sourceIp: pick(random, caller.sourceIps),
    userAgent: caller.userAgent,
    params,
  };
  return callMetadata(request, at);
}
