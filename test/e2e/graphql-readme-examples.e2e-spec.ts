import { EncryptCommand } from '@aws-sdk/client-kms';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { codeBlocks } from '../readme/readme-blocks';
import { pause, writeAliasTimeline } from '../support/alias-timeline';
import { graphql } from '../support/graphql-client';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { TEST_CREDENTIALS } from '../support/test-app';

/*
 * The README's GraphQL examples ("Compliance questions in GraphQL"), verbatim: the first test below
 * holds the README's ```graphql blocks to these strings, so every example there has been run.
 */

const ALIAS_AT = `query AliasAt($at: DateTime!) {
  alias(region: "us-west-2", aliasName: "alias/finance", at: $at) {
    at
    position
    alias {
      version
      targetKeyId
      validFrom
      validTo
      startedBy { eventName userIdentity { arn } }
    }
  }
}`;

const KEY_HISTORY = `query KeyHistory($keyId: String!) {
  key(region: "us-west-2", keyId: $keyId) {
    metadata { keyState creationDate }
    history(first: 50) {
      nodes { aliasName version validFrom validTo endedReason endedBy { eventName } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

const ALIAS_CHANGES = `query WhoChangedTheAlias {
  history(region: "us-west-2", aliasName: "alias/finance") {
    changeConnection(first: 100) {
      nodes { at eventName fromKeyId toKeyId by { userIdentity { arn } sourceIPAddress } }
    }
  }
}`;

const DIFF = `query WhatChanged($from: DateTime!, $to: DateTime!) {
  diff(region: "us-west-2", from: $from, to: $to, first: 100) {
    nodes { aliasName before after }
    pageInfo { hasNextPage endCursor }
  }
}`;

const AUDIT_SEARCH = `query WhoUsedTheAlias($from: DateTime!, $to: DateTime!) {
  auditEvents(region: "us-west-2", aliasName: "alias/ops", eventNames: ["Encrypt", "Decrypt"],
              from: $from, to: $to, first: 100) {
    nodes { eventTime eventName username errorCode resources { arn } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const ACCOUNT = TEST_CREDENTIALS.accountId;
const ADMIN = `arn:aws:iam::${ACCOUNT}:user/admin`;

describe("the README's GraphQL examples for the compliance questions", () => {
  it('are the ones in the README, word for word', () => {
    const readme = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
    const shown = codeBlocks(readme)
      .filter((block) => block.language === 'graphql')
      .map((block) => block.text);
    expect(shown).toEqual([ALIAS_AT, KEY_HISTORY, ALIAS_CHANGES, DIFF, AUDIT_SEARCH]);
  });

  let kms: KmsTestApp;
  let keys: string[];
  let moments: Date[];
  const ask = async (query: string, variables: Record<string, unknown> = {}) => {
    const { status, body } = await graphql(kms.url, query, variables);
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    return body.data;
  };

  beforeAll(async () => {
    kms = await startKmsApp({ ALIASTRAIL_POLL_INTERVAL_MS: '20' });
    const client = kms.client();
    // t0 | finance -> k0 | t1 | finance -> k1, ops -> k2 | t2 | finance deleted | t3 (alias-timeline.ts)
    ({ keys, moments } = await writeAliasTimeline(client));
    await client.send(new EncryptCommand({ KeyId: 'alias/ops', Plaintext: Buffer.from('payroll') }));
    for (let i = 0; i < 1000; i++) {
      const { body } = await graphql(
        kms.url,
        `
          {
            alias(region: "us-west-2", aliasName: "alias/finance") {
              alias {
                version
              }
            }
            auditEvents(region: "us-west-2", eventName: "Encrypt") {
              nodes {
                eventId
              }
            }
          }
        `,
      );
      if (body.data?.alias.alias === null && body.data.auditEvents.nodes.length === 1) break;
      await pause();
    }
  });
  afterAll(() => kms.close());

  it('which key did the alias point to at T, and who set it', async () => {
    const { alias } = await ask(ALIAS_AT, { at: moments[2]!.toISOString() });
    expect(alias).toMatchObject({
      at: moments[2]!.toISOString(),
      alias: { version: 2, targetKeyId: keys[1], validTo: expect.any(String) },
    });
    expect(alias.alias.startedBy).toEqual({ eventName: 'UpdateAlias', userIdentity: { arn: ADMIN } });
  });

  it("a key's history: every alias that pointed to it, when, and how that ended", async () => {
    const { key } = await ask(KEY_HISTORY, { keyId: keys[1] });
    expect(key.metadata.keyState).toBe('Enabled');
    expect(key.history.nodes).toEqual([
      {
        aliasName: 'alias/finance',
        version: 2,
        validFrom: expect.any(String),
        validTo: expect.any(String),
        endedReason: 'deleted',
        endedBy: { eventName: 'DeleteAlias' },
      },
    ]);
    expect(key.history.pageInfo).toEqual({ hasNextPage: false, endCursor: expect.any(String) });
  });

  it("an alias's changes: who, when, from which key to which", async () => {
    const { history } = await ask(ALIAS_CHANGES);
    expect(
      history.changeConnection.nodes.map((c: any) => [c.eventName, c.fromKeyId, c.toKeyId, c.by.userIdentity.arn]),
    ).toEqual([
      ['CreateAlias', null, keys[0], ADMIN],
      ['UpdateAlias', keys[0], keys[1], ADMIN],
      ['DeleteAlias', keys[1], null, ADMIN],
    ]);
  });

  it('what changed between two times', async () => {
    const { diff } = await ask(DIFF, { from: moments[1]!.toISOString(), to: moments[3]!.toISOString() });
    expect(diff.nodes).toEqual([
      { aliasName: 'alias/finance', before: keys[0], after: null },
      { aliasName: 'alias/ops', before: null, after: keys[2] },
    ]);
    expect(diff.pageInfo.hasNextPage).toBe(false);
  });

  it('who encrypted or decrypted through an alias between two times', async () => {
    const { auditEvents } = await ask(AUDIT_SEARCH, {
      from: moments[0]!.toISOString(),
      to: new Date(Date.now() + 1000).toISOString(),
    });
    expect(auditEvents.nodes).toEqual([
      {
        eventTime: expect.any(String),
        eventName: 'Encrypt',
        username: 'admin',
        errorCode: null,
        resources: [{ arn: `arn:aws:kms:us-west-2:${ACCOUNT}:key/${keys[2]}` }],
      },
    ]);
  });
});
