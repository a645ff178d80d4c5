package io.keel.iscsi.scsi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keel.iscsi.scsi.PrState.Attention;
import io.keel.iscsi.scsi.PrState.ItNexus;
import io.keel.iscsi.scsi.PrState.Registration;
import io.keel.iscsi.scsi.PrState.Reservation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link PrState} as the compact JSON kept in the {@link ReservationStore}, written and read
 * field by field so the format is exactly this and nothing a class change could alter:
 *
 * <pre>
 * {"v":1,"gen":7,"aptpl":false,
 *  "regs":[{"i":"iqn.1994-05.com.redhat:h1,i,0x23d000000001","p":1,"k":"00000000000000aa","all":true}, ...],
 *  "res":{"i":"iqn...,i,0x...","p":1,"t":5},
 *  "ua":[{"i":"iqn...,i,0x...","p":2,"asc":42,"ascq":5}, ...]}
 * </pre>
 *
 * {@code i}/{@code p} are an I_T nexus (initiator port, relative target port), {@code k} a key as
 * 16 hex digits (an unsigned 64-bit value), {@code t} the reservation type; {@code res} is absent
 * when there is no reservation. An unknown {@code v} or any malformed field is refused whole.
 */
final class PrStateCodec {
    private PrStateCodec() {}

    static final int FORMAT = 1;
    // Thread-safe and never reconfigured after this line.
    private static final ObjectMapper JSON = new ObjectMapper();

    static String encode(PrState s) {
        ObjectNode o = JSON.createObjectNode();
        o.put("v", FORMAT);
        o.put("gen", s.generation());
        o.put("aptpl", s.aptpl());
        ArrayNode regs = o.putArray("regs");
        for (Registration g : s.registrations()) {
            ObjectNode n = nexus(regs.addObject(), g.nexus());
            n.put("k", String.format("%016x", g.key()));
            if (g.allTargetPorts()) {
                n.put("all", true);
            }
        }
        s.reservation().ifPresent(r -> nexus(o.putObject("res"), r.holder()).put("t", r.type()));
        ArrayNode ua = o.putArray("ua");
        for (Attention a : s.attentions()) {
            nexus(ua.addObject(), a.nexus()).put("asc", a.asc()).put("ascq", a.ascq());
        }
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    /** @throws IllegalArgumentException the text is not a state this version wrote */
    static PrState decode(String text) {
        JsonNode o;
        try {
            o = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("stored reservation state is not JSON: " + e.getOriginalMessage());
        }
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException("stored reservation state is not a JSON object");
        }
        if (integer(o, "v") != FORMAT) {
            throw new IllegalArgumentException("stored reservation state has format " + o.get("v"));
        }
        List<Registration> regs = new ArrayList<>();
        for (JsonNode n : array(o, "regs")) {
            String k = text(n, "k");
            if (!k.matches("[0-9a-f]{16}")) {
                throw new IllegalArgumentException("bad reservation key " + k);
            }
            JsonNode all = n.get("all");
            if (all != null && !all.isBoolean()) {
                throw new IllegalArgumentException("bad field all: " + all);
            }
            regs.add(new Registration(nexus(n), Long.parseUnsignedLong(k, 16), all != null && all.asBoolean()));
        }
        Optional<Reservation> res = Optional.empty();
        JsonNode r = o.get("res");
        if (r != null) {
            res = Optional.of(new Reservation(nexus(r), (int) integer(r, "t")));
        }
        List<Attention> ua = new ArrayList<>();
        for (JsonNode n : array(o, "ua")) {
            ua.add(new Attention(nexus(n), (int) integer(n, "asc"), (int) integer(n, "ascq")));
        }
        JsonNode aptpl = o.get("aptpl");
        if (aptpl == null || !aptpl.isBoolean()) {
            throw new IllegalArgumentException("bad field aptpl: " + aptpl);
        }
        // The record's constructors check the rest (ranges, holder registered, no nexus twice).
        return new PrState(integer(o, "gen"), aptpl.asBoolean(), regs, res, ua);
    }

    private static ObjectNode nexus(ObjectNode n, ItNexus x) {
        return n.put("i", x.initiatorPort()).put("p", x.relativeTargetPort());
    }

    private static ItNexus nexus(JsonNode n) {
        return new ItNexus(text(n, "i"), (int) integer(n, "p"));
    }

    private static long integer(JsonNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || !n.canConvertToLong() || !n.isIntegralNumber()) {
            throw new IllegalArgumentException("bad field " + field + ": " + n);
        }
        long v = n.asLong();
        if (v < 0 || v > 0xffffffffL) {
            throw new IllegalArgumentException("field " + field + " out of range: " + v);
        }
        return v;
    }

    private static String text(JsonNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || !n.isTextual()) {
            throw new IllegalArgumentException("bad field " + field + ": " + n);
        }
        return n.asText();
    }

    private static JsonNode array(JsonNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || !n.isArray()) {
            throw new IllegalArgumentException("bad field " + field + ": " + n);
        }
        return n;
    }
}
