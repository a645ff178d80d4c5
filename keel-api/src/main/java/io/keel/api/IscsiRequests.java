package io.keel.api;

import io.keel.api.dto.AttachIscsiLunRequest;
import io.keel.api.dto.CreateIscsiGroupRequest;
import io.keel.api.dto.IscsiAccessRequest;
import io.keel.api.dto.IscsiGroupNodeRequest;
import java.util.List;
import java.util.Map;

/**
 * The shape checks of the iSCSI requests: required fields present, LUN numbers in range. What the
 * values mean (a node or volume exists, an address is the node's, a secret is long enough) is the
 * service's to judge, so that one place says it. Messages name fields, never quote a secret.
 */
final class IscsiRequests {
    /** SAM-5 flat space addressing, which REPORT LUNS uses for every LUN of the target core. */
    static final int MAX_LUN = 16383;

    private IscsiRequests() {}

    static CreateIscsiGroupRequest check(CreateIscsiGroupRequest r) {
        required(r.name(), "name");
        List<IscsiGroupNodeRequest> nodes = r.nodes();
        if (nodes == null || nodes.isEmpty()) {
            throw invalid("nodes is required: at least one node, two or more for path failover", "nodes");
        }
        for (int i = 0; i < nodes.size(); i++) {
            IscsiGroupNodeRequest n = nodes.get(i);
            String field = "nodes[" + i + "]";
            if (n == null) {
                throw invalid(field + " is required", field);
            }
            required(n.node(), field + ".node");
            if (n.address() != null && n.address().isBlank()) {
                throw invalid(field + ".address is blank: leave it out for the node's management address",
                        field + ".address");
            }
        }
        return r;
    }

    static IscsiAccessRequest check(IscsiAccessRequest r) {
        if (r.initiators() == null) {
            throw invalid("initiators is required: a list of initiator IQNs, empty to allow any initiator",
                    "initiators");
        }
        for (int i = 0; i < r.initiators().size(); i++) {
            required(r.initiators().get(i), "initiators[" + i + "]");
        }
        pair(r.chapUser(), r.chapSecret(), "chapUser", "chapSecret");
        pair(r.mutualChapUser(), r.mutualChapSecret(), "mutualChapUser", "mutualChapSecret");
        if (r.mutualChapUser() != null && r.chapUser() == null) {
            throw invalid("mutual CHAP needs one-way CHAP too: give chapUser and chapSecret", "chapUser");
        }
        return r;
    }

    static AttachIscsiLunRequest check(AttachIscsiLunRequest r) {
        required(r.volume(), "volume");
        if (r.lun() != null) {
            checkLun(r.lun(), "lun");
        }
        return r;
    }

    /** The {@code {lun}} of a path: a whole number in range. */
    static int lun(String text) {
        int lun;
        try {
            lun = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw invalid("lun must be a whole number from 0 to " + MAX_LUN + ", not '" + text + "'", "lun");
        }
        return checkLun(lun, "lun");
    }

    private static int checkLun(int lun, String field) {
        if (lun < 0 || lun > MAX_LUN) {
            throw invalid(field + " must be from 0 to " + MAX_LUN + ", not " + lun, field);
        }
        return lun;
    }

    /** A user and its secret come together; a blank user is a mistake, not "no CHAP". */
    private static void pair(String user, String secret, String userField, String secretField) {
        if (user == null) {
            if (secret != null) {
                throw invalid(secretField + " given without " + userField, secretField);
            }
            return;
        }
        if (user.isBlank()) {
            throw invalid(userField + " is blank: leave it out for no CHAP", userField);
        }
        if (secret == null || secret.isEmpty()) {
            throw invalid(secretField + " is required with " + userField, secretField);
        }
    }

    private static void required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw invalid(field + " is required", field);
        }
    }

    private static ApiException invalid(String message, String field) {
        return new ApiException(400, "invalid", message, Map.of("field", field));
    }
}
