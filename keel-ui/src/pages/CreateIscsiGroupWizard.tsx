import {
  Alert,
  Checkbox,
  Content,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  Form,
  FormGroup,
  FormHelperText,
  FormSelect,
  FormSelectOption,
  HelperText,
  HelperTextItem,
  Radio,
  TextArea,
  TextInput,
  WizardStep,
} from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useState } from 'react';
import type { NodeView, VolumeView } from '../api/types';
import { useApi } from '../auth';
import { ErrorAlert } from '../components/ErrorAlert';
import { WizardModal } from '../components/WizardModal';
import { formatBytes } from '../format';
import { chapSecretProblem, isIscsiName, parseInitiators, portal, portalAddresses } from '../iscsi';
import { usePoll } from '../usePoll';
import { useSubmit } from '../useSubmit';

interface Choices {
  nodes: NodeView[];
  volumes: VolumeView[];
  /** Volumes already exported by some group: a volume is in at most one. */
  exported: Set<string>;
}

/**
 * The Create target group wizard: name, nodes, their portals, volumes as LUNs, access, summary;
 * then POST the group, POST one LUN per volume and PUT the access. A step that fails keeps the
 * wizard open with the API's message, and Create again continues from that step.
 */
export function CreateIscsiGroupWizard({ onClose, onCreated }: { onClose(): void; onCreated(name: string): void }) {
  const api = useApi();
  const choices = usePoll<Choices>(async () => {
    const [nodes, volumes, groups] = await Promise.all([api.nodes(), api.volumes(), api.iscsiGroups()]);
    return { nodes, volumes, exported: new Set(groups.flatMap((g) => g.luns.map((l) => l.volumeName))) };
  });
  const [name, setName] = useState('');
  const [nodes, setNodes] = useState<string[]>([]);
  const [addresses, setAddresses] = useState<Record<string, string>>({});
  const [volumes, setVolumes] = useState<string[]>([]);
  const [initiatorText, setInitiatorText] = useState('');
  const [chap, setChap] = useState(false);
  const [chapUser, setChapUser] = useState('');
  const [chapSecret, setChapSecret] = useState('');
  const [chapAgain, setChapAgain] = useState('');
  const { busy, error, run } = useSubmit();
  const [progress, setProgress] = useState<string[]>([]);
  // What is created already, so that Create after a failure does not repeat it.
  const [createdGroup, setCreatedGroup] = useState<string>();
  const [attached, setAttached] = useState<string[]>([]);

  const initiators = parseInitiators(initiatorText);
  const badInitiators = initiators.filter((i) => !isIscsiName(i));
  const chapProblem = chap ? (chapUser.trim() === '' ? 'Give the CHAP user name.' : chapSecretProblem(chapSecret, chapAgain)) : undefined;
  const nameOk = /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name.trim());
  const data = choices.data;
  const nodeByName = new Map((data?.nodes ?? []).map((n) => [n.name, n]));
  const iscsiPort = (n: NodeView | undefined) => (n?.inventory?.iscsiPort ? n.inventory.iscsiPort : 3260);

  const toggle = (list: string[], item: string, on: boolean) => (on ? [...list, item] : list.filter((x) => x !== item));

  const create = async () => {
    await run(async () => {
      const done: string[] = [...progress];
      let group = createdGroup;
      if (!group) {
        const created = await api.createIscsiGroup({
          name: name.trim(),
          nodes: nodes.map((n) => ({ node: n, address: addresses[n] && addresses[n] !== nodeByName.get(n)?.address ? addresses[n] : undefined })),
        });
        group = created.name;
        setCreatedGroup(group);
        done.push(`Target group ${group} created`);
        setProgress([...done]);
      }
      const attachedNow = [...attached];
      for (const volume of volumes) {
        if (attachedNow.includes(volume)) continue;
        const lun = await api.addIscsiLun(group, volume);
        attachedNow.push(volume);
        setAttached([...attachedNow]);
        done.push(`LUN ${lun.lun}: ${volume}`);
        setProgress([...done]);
      }
      if (initiators.length > 0 || chap) {
        await api.setIscsiAccess(group, {
          initiators,
          chapUser: chap ? chapUser.trim() : undefined,
          chapSecret: chap ? chapSecret : undefined,
        });
        done.push('Access set');
        setProgress([...done]);
      }
      onCreated(group);
    });
  };

  return (
    <WizardModal
      title="Create target group"
      description="iSCSI: one target per node, the same LUNs on every one"
      testId="iscsi-wizard"
      data={data}
      loadError={choices.error}
      onClose={onClose}
    >
      {(data) => (
        <>
          <WizardStep name="Name and type" id="iscsi-step-name" footer={{ isNextDisabled: !nameOk }}>
            <Form onSubmit={(e) => e.preventDefault()}>
              <FormGroup label="Name" isRequired fieldId="iscsi-name">
                <TextInput id="iscsi-name" isRequired value={name} onChange={(_e, v) => setName(v)} isDisabled={!!createdGroup} />
                <FormHelperText>
                  <HelperText>
                    <HelperTextItem>Letters, digits, dots, hyphens and underscores.</HelperTextItem>
                  </HelperText>
                </FormHelperText>
              </FormGroup>
              <FormGroup label="Type" role="radiogroup" fieldId="iscsi-type" isInline>
                <Radio id="iscsi-type-iscsi" name="iscsi-type" label="iSCSI" isChecked onChange={() => {}} />
              </FormGroup>
            </Form>
          </WizardStep>
          <WizardStep name="Nodes" id="iscsi-step-nodes" footer={{ isNextDisabled: nodes.length === 0 }}>
            <Content component="p">Each node chosen serves one target; initiators see one path per node.</Content>
            {data.nodes.map((n) => (
              <Checkbox
                key={n.id}
                id={`iscsi-node-${n.name}`}
                label={`${n.name} (${n.address})`}
                description={n.status === 'HEALTHY' ? undefined : n.status}
                isChecked={nodes.includes(n.name)}
                isDisabled={!!createdGroup}
                onChange={(_e, on) => setNodes(toggle(nodes, n.name, on))}
              />
            ))}
            {nodes.length === 1 ? (
              <Alert variant="warning" isInline title="One node: a single path" className="pf-v6-u-mt-md" data-testid="iscsi-one-node-warning">
                Initiators lose the LUNs when this node does. Choose at least two nodes for multipath.
              </Alert>
            ) : null}
          </WizardStep>
          <WizardStep name="Targets" id="iscsi-step-targets">
            <Table aria-label="Targets" variant="compact">
              <Thead>
                <Tr>
                  <Th>Node</Th>
                  <Th>Portal address</Th>
                  <Th>Portal</Th>
                </Tr>
              </Thead>
              <Tbody>
                {nodes.map((nodeName) => {
                  const node = nodeByName.get(nodeName);
                  const options = node ? portalAddresses(node) : [];
                  const address = addresses[nodeName] ?? node?.address ?? '';
                  return (
                    <Tr key={nodeName} data-testid={`iscsi-target-${nodeName}`}>
                      <Td dataLabel="Node">{nodeName}</Td>
                      <Td dataLabel="Portal address">
                        <FormSelect
                          id={`iscsi-address-${nodeName}`}
                          aria-label={`Portal address of ${nodeName}`}
                          value={address}
                          isDisabled={!!createdGroup}
                          onChange={(_e, v) => setAddresses({ ...addresses, [nodeName]: v })}
                        >
                          {options.map((a) => (
                            <FormSelectOption key={a} value={a} label={a === node?.address ? `${a} (management)` : a} />
                          ))}
                        </FormSelect>
                      </Td>
                      <Td dataLabel="Portal">{portal(address, iscsiPort(node))}</Td>
                    </Tr>
                  );
                })}
              </Tbody>
            </Table>
          </WizardStep>
          <WizardStep name="LUNs" id="iscsi-step-luns">
            <Content component="p">Volumes to export, numbered from LUN 0 in this order. A volume is exported by one group at most.</Content>
            {data.volumes.length === 0 ? <Content component="p">No volumes.</Content> : null}
            {data.volumes.map((v) => (
              <Checkbox
                key={v.id}
                id={`iscsi-volume-${v.name}`}
                label={`${v.name} (${formatBytes(v.sizeBytes)}, ${v.policy})`}
                description={data.exported.has(v.name) ? 'exported by another group' : undefined}
                isDisabled={data.exported.has(v.name) || attached.includes(v.name)}
                isChecked={volumes.includes(v.name)}
                onChange={(_e, on) => setVolumes(toggle(volumes, v.name, on))}
              />
            ))}
          </WizardStep>
          <WizardStep name="Access" id="iscsi-step-access" footer={{ isNextDisabled: badInitiators.length > 0 || !!chapProblem }}>
            <Form onSubmit={(e) => e.preventDefault()}>
              <FormGroup label="Initiator IQNs" fieldId="iscsi-initiators">
                <TextArea
                  id="iscsi-initiators"
                  value={initiatorText}
                  onChange={(_e, v) => setInitiatorText(v)}
                  rows={4}
                  placeholder="iqn.1994-05.com.redhat:client1"
                  validated={badInitiators.length > 0 ? 'error' : 'default'}
                />
                <FormHelperText>
                  <HelperText>
                    {badInitiators.length > 0 ? (
                      <HelperTextItem variant="error">{`Not an iSCSI name: ${badInitiators.join(', ')}`}</HelperTextItem>
                    ) : (
                      <HelperTextItem>One per line; none allows any initiator.</HelperTextItem>
                    )}
                  </HelperText>
                </FormHelperText>
              </FormGroup>
              <Checkbox id="iscsi-chap" label="CHAP authentication" isChecked={chap} onChange={(_e, on) => setChap(on)} />
              {chap ? (
                <>
                  <FormGroup label="CHAP user" isRequired fieldId="iscsi-chap-user">
                    <TextInput id="iscsi-chap-user" value={chapUser} onChange={(_e, v) => setChapUser(v)} />
                  </FormGroup>
                  <FormGroup label="CHAP secret" isRequired fieldId="iscsi-chap-secret">
                    <TextInput id="iscsi-chap-secret" type="password" value={chapSecret} onChange={(_e, v) => setChapSecret(v)} autoComplete="new-password" />
                  </FormGroup>
                  <FormGroup label="CHAP secret again" isRequired fieldId="iscsi-chap-again">
                    <TextInput id="iscsi-chap-again" type="password" value={chapAgain} onChange={(_e, v) => setChapAgain(v)} autoComplete="new-password" />
                    <FormHelperText>
                      <HelperText>
                        <HelperTextItem variant={chapProblem ? 'error' : 'default'}>{chapProblem ?? '12 to 16 characters.'}</HelperTextItem>
                      </HelperText>
                    </FormHelperText>
                  </FormGroup>
                </>
              ) : null}
            </Form>
          </WizardStep>
          <WizardStep
            name="Summary"
            id="iscsi-step-summary"
            footer={{ nextButtonText: 'Create', onNext: create, isNextDisabled: busy, nextButtonProps: { isLoading: busy } }}
          >
            <ErrorAlert message={error} />
            <DescriptionList isHorizontal isCompact data-testid="iscsi-summary">
              <DescriptionListGroup>
                <DescriptionListTerm>Name</DescriptionListTerm>
                <DescriptionListDescription>{`${name.trim()} (iSCSI)`}</DescriptionListDescription>
              </DescriptionListGroup>
              <DescriptionListGroup>
                <DescriptionListTerm>Targets</DescriptionListTerm>
                <DescriptionListDescription>
                  {nodes.map((n) => `${n} ${portal(addresses[n] ?? nodeByName.get(n)?.address ?? '', iscsiPort(nodeByName.get(n)))}`).join(', ')}
                </DescriptionListDescription>
              </DescriptionListGroup>
              <DescriptionListGroup>
                <DescriptionListTerm>LUNs</DescriptionListTerm>
                <DescriptionListDescription>{volumes.join(', ') || 'none yet'}</DescriptionListDescription>
              </DescriptionListGroup>
              <DescriptionListGroup>
                <DescriptionListTerm>Access</DescriptionListTerm>
                <DescriptionListDescription>
                  {`${initiators.length === 0 ? 'any initiator' : initiators.join(', ')}${chap ? `, CHAP user ${chapUser.trim()}` : ''}`}
                </DescriptionListDescription>
              </DescriptionListGroup>
            </DescriptionList>
            {progress.length > 0 ? (
              <Alert variant="info" isInline title="Done so far" className="pf-v6-u-mt-md">
                {progress.join('; ')}
              </Alert>
            ) : null}
          </WizardStep>
        </>
      )}
    </WizardModal>
  );
}
