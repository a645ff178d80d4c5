package io.keel.ha.sim;

import io.keel.ha.Capacity;
import io.keel.ha.DesiredState;
import io.keel.ha.HaConfig;
import io.keel.ha.RelocationMode;
import io.keel.ha.ResourceKind;
import io.keel.ha.ResourceKinds;
import io.keel.ha.ResourceSpec;
import io.keel.ha.ShutdownPolicy;
import io.keel.ha.Strategy;
import io.keel.ha.sim.Scenario.Action;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads the line-based {@code cmds} format described in {@code scenarios/README.md}. */
public final class ScenarioParser {
    private final ResourceKinds kinds;

    public ScenarioParser(ResourceKinds kinds) {
        this.kinds = kinds;
    }

    public Scenario parse(String text) {
        HaConfig config = HaConfig.defaults();
        Scenario.Timing timing = Scenario.Timing.defaults();
        List<Scenario.Node> nodes = new ArrayList<>();
        List<ResourceSpec> resources = new ArrayList<>();
        List<Scenario.Timed> actions = new ArrayList<>();
        Duration runFor = null;
        int lineNo = 0;
        for (String raw : text.split("\n", -1)) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                String[] w = line.split("\\s+");
                switch (w[0]) {
                    case "config" -> config = config(config, options(w, 1));
                    case "timing" -> timing = timing(timing, options(w, 1));
                    case "node" -> nodes.add(node(w));
                    case "resource" -> resources.add(resource(w));
                    case "run" -> runFor = duration(w[1]);
                    case "at" -> {
                        Duration at = duration(w[1]);
                        String[] act = Arrays.copyOfRange(w, 2, w.length);
                        actions.add(new Scenario.Timed(at, action(act), String.join(" ", act)));
                    }
                    default -> throw new IllegalArgumentException("unknown command " + w[0]);
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("line " + lineNo + " (" + line + "): " + e.getMessage(), e);
            }
        }
        if (runFor == null) {
            throw new IllegalArgumentException("a scenario needs a 'run DURATION' line");
        }
        return new Scenario(config, timing, nodes, resources, actions, runFor);
    }

    private static Map<String, String> options(String[] w, int from) {
        Map<String, String> o = new HashMap<>();
        for (int i = from; i < w.length; i++) {
            int eq = w[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got " + w[i]);
            }
            o.put(w[i].substring(0, eq), w[i].substring(eq + 1));
        }
        return o;
    }

    static Duration duration(String s) {
        if (s.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
        }
        if (!s.endsWith("s")) {
            throw new IllegalArgumentException("durations are like 20s: " + s);
        }
        return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
    }

    private static HaConfig config(HaConfig c, Map<String, String> o) {
        for (var e : o.entrySet()) {
            String v = e.getValue();
            c = switch (e.getKey()) {
                case "relocation" -> c.withRelocation(RelocationMode.valueOf(upper(v)));
                case "migrate-back" -> c.withMigrateBack(onOff(v));
                case "shutdown-policy" -> c.withShutdownPolicy(ShutdownPolicy.valueOf(upper(v)));
                case "max-restart" -> c.withLimits(Integer.parseInt(v), c.maxRelocate());
                case "max-relocate" -> c.withLimits(c.maxRestart(), Integer.parseInt(v));
                case "detection" -> c.withTiming(duration(v), c.selfFenceTimeout(), c.leaseTtl());
                case "self-fence" -> c.withTiming(c.detectionTime(), duration(v), c.leaseTtl());
                case "lease" -> c.withTiming(c.detectionTime(), c.selfFenceTimeout(), duration(v));
                default -> throw new IllegalArgumentException("unknown config " + e.getKey());
            };
        }
        return c;
    }

    private static Scenario.Timing timing(Scenario.Timing t, Map<String, String> o) {
        for (var e : o.entrySet()) {
            Duration d = duration(e.getValue());
            t = switch (e.getKey()) {
                case "vm-start" -> new Scenario.Timing(d, t.vipStart(), t.migrate(), t.stop());
                case "vip-start" -> new Scenario.Timing(t.vmStart(), d, t.migrate(), t.stop());
                case "migrate" -> new Scenario.Timing(t.vmStart(), t.vipStart(), d, t.stop());
                case "stop" -> new Scenario.Timing(t.vmStart(), t.vipStart(), t.migrate(), d);
                default -> throw new IllegalArgumentException("unknown timing " + e.getKey());
            };
        }
        return t;
    }

    private static Scenario.Node node(String[] w) {
        Map<String, String> o = options(w, 2);
        return new Scenario.Node(w[1], capacity(o, "8192", "8"), !"no".equals(o.getOrDefault("meta", "yes")));
    }

    private static Capacity capacity(Map<String, String> o, String mem, String cpu) {
        return new Capacity(Long.parseLong(o.getOrDefault("mem", mem)), Integer.parseInt(o.getOrDefault("cpu", cpu)));
    }

    private ResourceSpec resource(String[] w) {
        String id = w[1];
        ResourceKind kind = kinds.ofId(id);
        Map<String, String> o = options(w, 2);
        Capacity demand = kind.usesCapacity() ? capacity(o, "1024", "1") : Capacity.NONE;
        Strategy strategy = Strategy.valueOf(upper(o.getOrDefault("strategy", "auto")));
        DesiredState desired = DesiredState.valueOf(upper(o.getOrDefault("state", "started")));
        return new ResourceSpec(id, kind, demand, strategy, o.get("node"), desired, 0,
                nodeSet(o.getOrDefault("allowed", "any")));
    }

    /** {@code node-a,node-b}, or {@code any} for no restriction. */
    private static Set<String> nodeSet(String list) {
        return list.equals("any") ? Set.of() : Set.copyOf(Arrays.asList(list.split(",")));
    }

    private Action action(String[] w) {
        return switch (w[0]) {
            case "kill" -> new Action.Kill(w[1]);
            case "restart" -> new Action.Restart(w[1]);
            case "stall" -> new Action.Stall(w[1], true);
            case "resume" -> new Action.Stall(w[1], false);
            case "heal" -> new Action.Heal();
            case "partition" -> new Action.Partition(groups(Arrays.copyOfRange(w, 1, w.length)));
            case "maintenance" -> switch (w[1]) {
                case "enter" -> new Action.MaintenanceEnter(w[2]);
                case "leave" -> new Action.MaintenanceLeave(w[2]);
                default -> throw new IllegalArgumentException("maintenance enter|leave NODE");
            };
            case "shutdown" -> new Action.Shutdown(w[1]);
            case "capacity" -> new Action.SetCapacity(w[1], capacity(options(w, 2), "0", "0"));
            case "start" -> new Action.Start(w[1]);
            case "stop" -> new Action.Stop(w[1]);
            case "crash" -> new Action.Crash(w[1]);
            case "ioerror" -> new Action.IoError(w[1]);
            case "resource" -> new Action.AddResource(resource(w));
            case "allowed" -> new Action.SetAllowed(w[1], nodeSet(w[2]));
            default -> throw new IllegalArgumentException("unknown action " + w[0]);
        };
    }

    private static List<Set<String>> groups(String[] w) {
        List<Set<String>> groups = new ArrayList<>();
        Set<String> current = new LinkedHashSet<>();
        for (String s : w) {
            if (s.equals("|")) {
                groups.add(Set.copyOf(current));
                current = new LinkedHashSet<>();
            } else {
                current.add(s);
            }
        }
        groups.add(Set.copyOf(current));
        if (groups.size() < 2 || groups.stream().anyMatch(Set::isEmpty)) {
            throw new IllegalArgumentException("partition A B | C: at least two non-empty groups");
        }
        return groups;
    }

    private static boolean onOff(String v) {
        return switch (v) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("on or off: " + v);
        };
    }

    private static String upper(String v) {
        return v.toUpperCase(Locale.ROOT).replace('-', '_');
    }
}
