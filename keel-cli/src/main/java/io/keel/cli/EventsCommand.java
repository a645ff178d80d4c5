package io.keel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keel events}: the cluster's HA events, newest last, with their times. */
@Command(name = "events", description = {"Show the cluster events: nodes lost, fenced and back; VMs recovered",
        "(with how long it took), moved, held or in error. Newest last."})
final class EventsCommand extends KeelSubcommand {
    record Event(long seq, String at, String type, String text, Double seconds) {}

    record Events(List<Event> events) {}

    @Option(names = "--limit", paramLabel = "N", description = "Only the newest N events.")
    Integer limit;

    EventsCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    public Integer call() {
        JsonNode answer = ctx.api().get("/api/v1/events" + (limit == null ? "" : "?limit=" + limit));
        if (ctx.jsonOutput()) {
            ctx.printJson(answer);
            return KeelCli.OK;
        }
        Events events = ctx.read(answer, Events.class);
        if (events.events().isEmpty()) {
            out().println("No cluster events yet.");
        }
        for (Event e : events.events()) {
            out().println(e.at() + "  " + e.text());
        }
        return KeelCli.OK;
    }
}
