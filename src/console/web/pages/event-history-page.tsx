import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Link from '@cloudscape-design/components/link';
import Modal from '@cloudscape-design/components/modal';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { restGet } from '../console-api';
import { regionOf } from '../regions';

interface AuditEvent {
  readonly eventId: string;
  readonly eventTime: string;
  readonly eventName: string;
  readonly readOnly: boolean;
  readonly username: string | null;
  readonly sourceIPAddress: string | null;
  readonly errorCode: string | null;
  readonly resources: readonly { readonly ARN: string }[];
  readonly cloudTrailEvent: Record<string, unknown>;
}

/** CloudTrail's lookup attributes, as the REST audit search takes them. */
const ATTRIBUTES = [
  { value: 'eventName', label: 'Event name' },
  { value: 'username', label: 'User name' },
  { value: 'resource', label: 'Resource name (alias or key)' },
  { value: 'resourceType', label: 'Resource type (AWS::KMS::Key)' },
  { value: 'eventSource', label: 'Event source (kms.amazonaws.com, signin.amazonaws.com)' },
  { value: 'eventId', label: 'Event ID' },
  { value: 'accessKeyId', label: 'AWS access key' },
  { value: 'readOnly', label: 'Read-only (true or false)' },
  { value: 'sourceIp', label: 'Source IP address (beyond CloudTrail)' },
  { value: 'errorCode', label: 'Error code, * for any (beyond CloudTrail)' },
] as const;

/** The REST search's query for what the URL holds (attribute, value, start, end). */
function searchOf(url: URLSearchParams): URLSearchParams {
  const query = new URLSearchParams();
  const attribute = url.get('attribute');
  const value = url.get('value');
  if (attribute && value) {
    if (attribute === 'resource') query.set(value.includes('alias/') ? 'alias' : 'keyId', value);
    else query.set(attribute, value);
  }
  for (const [from, to] of [
    ['start', 'startTime'],
    ['end', 'endTime'],
  ] as const) {
    const time = url.get(from);
    if (time) query.set(to, time);
  }
  return query;
}

/**
 * Event history, as CloudTrail's console has it: one lookup attribute, a time range, each record
 * opening to its CloudTrail JSON, and the whole search to download as JSON Lines or CSV. The
 * search is the URL, so it can be shared.
 */
export function EventHistoryPage() {
  const [url] = useSearchParams();
  const navigate = useNavigate();
  const region = regionOf(url);
  const [attribute, setAttribute] = useState(url.get('attribute') ?? 'eventName');
  const [value, setValue] = useState(url.get('value') ?? '');
  const [start, setStart] = useState(url.get('start') ?? '');
  const [end, setEnd] = useState(url.get('end') ?? '');
  const [events, setEvents] = useState<AuditEvent[] | undefined>();
  const [nextToken, setNextToken] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [shown, setShown] = useState<AuditEvent | undefined>();
  const query = searchOf(url);
  const searchPath = `/api/regions/${region}/audit-events`;

  const load = async (token?: string) => {
    const page = new URLSearchParams(query);
    page.set('limit', '50');
    if (token) page.set('nextToken', token);
    try {
      const answer = await restGet<{ events: AuditEvent[]; nextToken?: string }>(`${searchPath}?${page}`);
      setEvents((before) => [...(token ? (before ?? []) : []), ...answer.events]);
      setNextToken(answer.nextToken);
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  useEffect(() => {
    setEvents(undefined);
    setError(undefined);
    void load();
  }, [url.toString()]);

  const apply = () => {
    const next = new URLSearchParams({ region });
    if (value) {
      next.set('attribute', attribute);
      next.set('value', value);
    }
    if (start) next.set('start', start);
    if (end) next.set('end', end);
    navigate(`/event-history?${next}`);
  };
  const download = (format: 'jsonl' | 'csv') => {
    const all = new URLSearchParams(query);
    all.set('format', format);
    return `${searchPath}/export?${all}`;
  };

  return (
    <SpaceBetween size="l">
      <Header
        variant="h1"
        description="Every call recorded in this Region, newest first"
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            <Button href={download('jsonl')} iconName="download">
              Download JSON Lines
            </Button>
            <Button href={download('csv')} iconName="download">
              Download CSV
            </Button>
          </SpaceBetween>
        }
      >
        Event history
      </Header>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          apply();
        }}
      >
        <SpaceBetween direction="horizontal" size="s" alignItems="end">
          <FormField label="Lookup attribute">
            <Select
              selectedOption={ATTRIBUTES.find((a) => a.value === attribute) ?? ATTRIBUTES[0]}
              onChange={({ detail }) => setAttribute(detail.selectedOption.value ?? 'eventName')}
              options={ATTRIBUTES.map((a) => ({ value: a.value, label: a.label }))}
            />
          </FormField>
          <FormField label="Value">
            <Input value={value} onChange={({ detail }) => setValue(detail.value)} placeholder="e.g. CreateAlias" />
          </FormField>
          <FormField label="Start time (ISO 8601)">
            <Input value={start} onChange={({ detail }) => setStart(detail.value)} placeholder="2026-01-01T00:00:00Z" />
          </FormField>
          <FormField label="End time (ISO 8601)">
            <Input value={end} onChange={({ detail }) => setEnd(detail.value)} placeholder="2026-12-31T23:59:59Z" />
          </FormField>
          <Button formAction="submit" variant="primary">
            Search
          </Button>
        </SpaceBetween>
      </form>
      {error && <Alert type="error">{error}</Alert>}
      <Table
        items={events ?? []}
        loading={events === undefined && !error}
        loadingText="Loading events"
        trackBy="eventId"
        wrapLines
        empty={<Box textAlign="center">No event matches the search</Box>}
        columnDefinitions={[
          {
            id: 'name',
            header: 'Event name',
            cell: (e) => (
              <Link onFollow={() => setShown(e)} ariaLabel={`${e.eventName} at ${e.eventTime}`}>
                {e.eventName}
              </Link>
            ),
          },
          { id: 'time', header: 'Event time', cell: (e) => e.eventTime },
          { id: 'user', header: 'User name', cell: (e) => e.username ?? '-' },
          { id: 'ip', header: 'Source IP address', cell: (e) => e.sourceIPAddress ?? '-' },
          { id: 'error', header: 'Error code', cell: (e) => e.errorCode ?? '-' },
          { id: 'resources', header: 'Resources', cell: (e) => e.resources.map((r) => r.ARN).join(', ') || '-' },
        ]}
        footer={
          nextToken && (
            <Box textAlign="center">
              <Button onClick={() => void load(nextToken)}>Load more</Button>
            </Box>
          )
        }
      />
      <Modal visible={shown !== undefined} onDismiss={() => setShown(undefined)} header="Event record" size="large">
        <pre style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{JSON.stringify(shown?.cloudTrailEvent, null, 2)}</pre>
      </Modal>
    </SpaceBetween>
  );
}
