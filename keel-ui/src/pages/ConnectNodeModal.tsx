import {
  Button,
  ClipboardCopy,
  Content,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  Modal,
  ModalBody,
  ModalFooter,
  ModalHeader,
} from '@patternfly/react-core';
import { useApi } from '../auth';
import { PolledView } from '../components/PolledView';
import { formatTime } from '../format';
import { usePoll } from '../usePoll';

export function ConnectNodeModal({ onClose }: { onClose(): void }) {
  const api = useApi();
  const token = usePoll(api.joinToken);
  return (
    <Modal variant="medium" isOpen onClose={onClose} aria-labelledby="connect-node-title">
      <ModalHeader title="Connect node" labelId="connect-node-title" />
      <ModalBody>
        <Content component="p">
          Install Keel on the new server, then start it with the management address and the join token below.
        </Content>
        <PolledView polled={token}>
          {(t) => (
            <DescriptionList isHorizontal className="pf-v6-u-mt-md">
              <DescriptionListGroup>
                <DescriptionListTerm>Management address</DescriptionListTerm>
                <DescriptionListDescription data-testid="management-address">
                  <ClipboardCopy isReadOnly hoverTip="Copy" clickTip="Copied" aria-label="Management address">
                    {t.managementAddress}
                  </ClipboardCopy>
                </DescriptionListDescription>
              </DescriptionListGroup>
              <DescriptionListGroup>
                <DescriptionListTerm>Join token</DescriptionListTerm>
                <DescriptionListDescription data-testid="join-token">
                  <ClipboardCopy isReadOnly hoverTip="Copy" clickTip="Copied" aria-label="Join token">
                    {t.token}
                  </ClipboardCopy>
                </DescriptionListDescription>
              </DescriptionListGroup>
              <DescriptionListGroup>
                <DescriptionListTerm>Expires</DescriptionListTerm>
                <DescriptionListDescription>{formatTime(t.expiresAt)}</DescriptionListDescription>
              </DescriptionListGroup>
              <DescriptionListGroup>
                <DescriptionListTerm>Command</DescriptionListTerm>
                <DescriptionListDescription>
                  <ClipboardCopy isReadOnly isCode hoverTip="Copy" clickTip="Copied" aria-label="Join command">
                    {`keel node --join ${t.managementAddress} --token ${t.token} --config /etc/keel/node.yaml`}
                  </ClipboardCopy>
                </DescriptionListDescription>
              </DescriptionListGroup>
            </DescriptionList>
          )}
        </PolledView>
      </ModalBody>
      <ModalFooter>
        <Button variant="primary" onClick={onClose}>
          Close
        </Button>
      </ModalFooter>
    </Modal>
  );
}
