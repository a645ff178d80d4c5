package io.keel.api;

import io.keel.api.dto.AttachIscsiLunRequest;
import io.keel.api.dto.CreateIscsiGroupRequest;
import io.keel.api.dto.IscsiAccessRequest;
import io.keel.api.dto.IscsiGroupView;
import io.keel.api.dto.IscsiLunView;
import io.keel.api.dto.IscsiTargetView;
import java.util.List;

/**
 * iSCSI target groups (issue 7): a group is one target per member node exporting the same LUNs,
 * so initiators reach each LUN over one path per node. Groups and volumes are named by id or name.
 * The routes have checked only the requests' shape (required fields present, LUN numbers in
 * 0-16383); everything else is the service's to check. Every method either returns or throws
 * {@link ApiException} (400, 404, 409, 503), which the API answers verbatim, and a method that
 * throws has changed nothing. No view may carry a CHAP secret.
 */
public interface IscsiService {
    List<IscsiGroupView> list();

    IscsiGroupView get(String group);

    /** {@code request.nodes()} is non-empty and each names a node; the address of each may be null. */
    IscsiGroupView create(CreateIscsiGroupRequest request);

    /** Refused (409) while the group has LUNs. */
    void delete(String group);

    /**
     * Replaces the group's access setting. {@code request.initiators()} is non-null (empty: any
     * initiator); a CHAP user comes with its secret, and mutual CHAP only with one-way CHAP.
     */
    IscsiGroupView setAccess(String group, IscsiAccessRequest request);

    List<IscsiLunView> luns(String group);

    /** {@code request.volume()} is non-null; {@code request.lun()} null means the lowest free LUN. */
    IscsiLunView attachLun(String group, AttachIscsiLunRequest request);

    /** {@code lun} is 0-16383. */
    void detachLun(String group, int lun);

    /**
     * Node to node: the targets this node serves, with their sessions and counters (which live in
     * its memory only), so any node can show every target's figures.
     */
    default List<IscsiTargetView> localTargets() {
        return List.of();
    }
}
