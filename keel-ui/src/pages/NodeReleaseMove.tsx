import { Button, FormGroup, FormSelect, FormSelectOption } from '@patternfly/react-core';
import { useEffect, useState } from 'react';
import { SessionExpiredError, messageOf } from '../api/client';
import type { NodeView } from '../api/types';
import { useApi } from '../auth';
import { ConfirmModal } from '../components/ConfirmModal';
import { FormModal } from '../components/FormModal';
import { locationText } from '../format';
import { rackPaths, type RackPath } from '../locations';

export function MoveNodeModal({ node, onClose, onDone }: { node: NodeView; onClose(): void; onDone(): void }) {
  const api = useApi();
  const [racks, setRacks] = useState<RackPath[]>();
  const [rack, setRack] = useState(node.location?.rackId ?? '');
  const [loadError, setLoadError] = useState<string>();
  useEffect(() => {
    let cancelled = false;
    api.locations().then(
      (list) => {
        if (cancelled) return;
        const paths = rackPaths(list);
        setRacks(paths);
        setRack((current) => current || (paths[0]?.id ?? ''));
      },
      (e: unknown) => {
        if (!cancelled && !(e instanceof SessionExpiredError)) setLoadError(messageOf(e));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api]);
  return (
    <FormModal
      title={`Move ${node.name} to a rack`}
      submitLabel="Move"
      canSubmit={rack !== ''}
      onSubmit={async () => {
        if (loadError) throw new Error(loadError);
        return api.moveNode(node.name, rack);
      }}
      onClose={onClose}
      onDone={onDone}
    >
      <p>{`Now in: ${locationText(node.location)}`}</p>
      <FormGroup label="Rack" fieldId="move-rack">
        <FormSelect id="move-rack" value={rack} onChange={(_e, v) => setRack(v)}>
          {racks && racks.length === 0 ? <FormSelectOption value="" label="No racks: create them under Locations" isPlaceholder /> : null}
          {(racks ?? []).map((r) => (
            <FormSelectOption key={r.id} value={r.id} label={r.label} />
          ))}
        </FormSelect>
      </FormGroup>
      {loadError ? <p className="pf-v6-u-danger-color-100">{loadError}</p> : null}
    </FormModal>
  );
}

/** Release (drain) a node or stop releasing it; the progress shows in the node's overview. */
export function ReleaseControls({ node, onChanged }: { node: NodeView; onChanged(): void }) {
  const api = useApi();
  const [asking, setAsking] = useState<'release' | 'stop'>();
  return (
    <>
      {node.release ? (
        <Button variant="secondary" className="pf-v6-u-mr-sm" onClick={() => setAsking('stop')}>
          Stop release
        </Button>
      ) : (
        <Button variant="secondary" className="pf-v6-u-mr-sm" onClick={() => setAsking('release')}>
          Release
        </Button>
      )}
      {asking ? (
        <ConfirmModal
          title={asking === 'release' ? `Release ${node.name}?` : `Stop releasing ${node.name}?`}
          confirmLabel={asking === 'release' ? 'Release' : 'Stop release'}
          danger={asking === 'release'}
          onConfirm={() => (asking === 'release' ? api.releaseNode(node.name) : api.stopReleaseNode(node.name))}
          onClose={() => setAsking(undefined)}
          onDone={() => {
            setAsking(undefined);
            onChanged();
          }}
        >
          {asking === 'release'
            ? 'No new chunks go to this node and its data moves to other nodes. The API refuses when that would break the redundancy of a policy in use.'
            : 'Data already moved stays where it is; the node takes new chunks again.'}
        </ConfirmModal>
      ) : null}
    </>
  );
}
