package io.keel.cli;

import static io.keel.cli.ApiClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code keel vm stats}: a VM's counters, as its host node collected them. */
@Command(name = "stats", description = {
    "Show a VM's CPU, memory, disk and network counters, as its host node last collected them.",
    "CPU and disk counters count from the VM's last start."})
final class VmStatsCommand extends KeelSubcommand {
    record Disk(String disk, String volume, long readBytes, long writeBytes, long readOps, long writeOps) {}

    record Nic(String nic, long rxBytes, long txBytes, long rxPackets, long txPackets) {}

    record Stats(String vm, String vmId, String node, String nodeName, boolean running, String collectedAt,
                 double cpuSeconds, long memoryRssBytes, long memoryConfiguredBytes, List<Disk> disks, List<Nic> nics) {}

    @Parameters(paramLabel = "VM", description = "The VM's name or id.")
    String vm;

    VmStatsCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    public Integer call() {
        JsonNode answer = ctx.api().get("/api/v1/vms/" + segment(vm) + "/stats");
        if (ctx.jsonOutput()) {
            ctx.printJson(answer);
            return KeelCli.OK;
        }
        Stats s = ctx.read(answer, Stats.class);
        if (!s.running()) {
            out().println("VM " + s.vm() + " is not running on " + s.nodeName() + ": no counters.");
            return KeelCli.OK;
        }
        out().println("vm: " + s.vm() + " on " + s.nodeName() + " (collected " + Format.instant(s.collectedAt()) + ")");
        out().println("cpu: " + String.format(Locale.ROOT, "%.2f", s.cpuSeconds()) + " s");
        out().println("memory: " + Format.bytes(s.memoryRssBytes()) + " resident of " + Format.bytes(
                s.memoryConfiguredBytes()) + " configured");
        Table t = new Table("DISK", "VOLUME", "READ", "WRITTEN", "READS", "WRITES");
        for (Disk d : s.disks()) {
            t.row(d.disk(), d.volume(), Format.bytes(d.readBytes()), Format.bytes(d.writeBytes()), d.readOps(),
                    d.writeOps());
        }
        t.print(out());
        if (s.nics().isEmpty()) {
            out().println("network: no interfaces with counters");
        } else {
            Table n = new Table("NIC", "RECEIVED", "SENT", "RX PACKETS", "TX PACKETS");
            for (Nic x : s.nics()) {
                n.row(x.nic(), Format.bytes(x.rxBytes()), Format.bytes(x.txBytes()), x.rxPackets(), x.txPackets());
            }
            n.print(out());
        }
        return KeelCli.OK;
    }
}
