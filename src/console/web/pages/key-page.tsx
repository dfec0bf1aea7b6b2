import Alert from '@cloudscape-design/components/alert';
import Flashbar, { type FlashbarProps } from '@cloudscape-design/components/flashbar';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Tabs from '@cloudscape-design/components/tabs';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { type KeyRow, loadKey } from '../keys-data';
import { regionOf } from '../regions';
import { TimeTravelBanner, atOf } from '../time-travel';
import { AliasesTab } from './aliases-tab';
import { HistoryTab } from './history-tab';
import { KeyActions } from './key-actions';
import { GeneralConfiguration } from './general-configuration';
import { KeyPolicyTab } from './key-policy-tab';
import { KeyRotationTab } from './key-rotation-tab';
import { CryptographicConfigurationTab } from './key-settings-tabs';
import { TagsTab } from './tags-tab';

const TABS = ['key-policy', 'cryptographic-configuration', 'tags', 'key-rotation', 'aliases', 'history'] as const;

/** A key's detail page: General configuration, the key actions, and its tabs (each a URL of its own). */
export function KeyPage() {
  const { keyId = '', tab } = useParams();
  const [search] = useSearchParams();
  const region = regionOf(search);
  const at = atOf(search);
  const navigate = useNavigate();
  const [key, setKey] = useState<KeyRow | undefined>();
  const [error, setError] = useState<string | undefined>();
  const location = useLocation();
  const arrived = (location.state as { flash?: { type: 'success' | 'warning'; message: string } } | null)?.flash;
  const [flash, setFlash] = useState<FlashbarProps.MessageDefinition[]>(
    arrived
      ? [
          {
            type: arrived.type,
            content: arrived.message,
            id: 'arrived',
            dismissible: true,
            dismissLabel: 'Dismiss',
            onDismiss: () => setFlash([]),
          },
        ]
      : [],
  );
  const activeTab = (TABS as readonly string[]).includes(tab ?? '') ? tab! : TABS[0];

  // Only the newest load may set the key: a reload after a change that answers after a switch to
  // another key or moment would otherwise show that key, or now, under the past's banner.
  const latestLoad = useRef(0);
  const reload = useCallback(() => {
    const load = ++latestLoad.current;
    loadKey(region, keyId, at).then(
      (loaded) => load === latestLoad.current && setKey(loaded),
      (failure: Error) => load === latestLoad.current && setError(failure.message),
    );
  }, [region, keyId, at]);
  useEffect(() => {
    setKey(undefined);
    setError(undefined);
    reload();
  }, [reload]);
  const changed = (message: string) => {
    setFlash([
      {
        type: 'success',
        content: message,
        dismissible: true,
        dismissLabel: 'Dismiss',
        onDismiss: () => setFlash([]),
        id: message,
      },
    ]);
    reload();
  };

  if (error)
    return (
      <Alert type="error" header={`Key ${keyId}`}>
        {error}
      </Alert>
    );
  if (!key) return null;
  const parts = { keyRow: key, region, changed, readOnly: at !== undefined };
  return (
    <SpaceBetween size="l">
      <Flashbar items={flash} />
      <TimeTravelBanner region={region} />
      <Header variant="h1" actions={at ? undefined : <KeyActions keyRow={key} region={region} changed={changed} />}>
        {key.aliases[0] ?? key.keyId}
      </Header>
      <GeneralConfiguration {...parts} />
      <Tabs
        activeTabId={activeTab}
        onChange={({ detail }) =>
          navigate(
            `/keys/${key.keyId}/${detail.activeTabId}?region=${region}${at ? `&at=${encodeURIComponent(at)}` : ''}`,
          )
        }
        tabs={[
          {
            id: 'key-policy',
            label: 'Key policy',
            content: <KeyPolicyTab {...parts} />,
          },
          {
            id: 'cryptographic-configuration',
            label: 'Cryptographic configuration',
            content: <CryptographicConfigurationTab keyRow={key} />,
          },
          { id: 'tags', label: 'Tags', content: <TagsTab {...parts} /> },
          {
            id: 'key-rotation',
            label: 'Key rotation',
            content: <KeyRotationTab {...parts} />,
          },
          {
            id: 'aliases',
            label: 'Aliases',
            content: <AliasesTab keyRow={key} region={region} changed={changed} readOnly={at !== undefined} />,
          },
          { id: 'history', label: 'History', content: <HistoryTab keyRow={key} region={region} /> },
        ]}
      />
    </SpaceBetween>
  );
}
