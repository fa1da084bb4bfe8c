package io.leadscore.bench;

import io.leadscore.bench.harness.ResultTable;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Where a server's CPU went, from a JFR recording ({@code --server-profile} of any scenario): each execution sample
 * is charged to the component of its innermost frame that belongs to one, so JDK code (collections, strings,
 * locks) counts for whoever called it. Also the methods most often on top of the stack, and the threads sampled.
 */
@Command(name = "profile", mixinStandardHelpOptions = true,
        description = "Summarise a JFR CPU profile of the server by component and by hottest method.")
final class ProfileSummary implements Callable<Integer> {

    /** Components by package prefix, in the order they are tested (more specific first). */
    private static final Map<String, String> COMPONENTS = new LinkedHashMap<>();

    static {
        COMPONENTS.put("io.leadscore.server.model.", "scoring function");
        COMPONENTS.put("io.leadscore.server.lead.", "lead fold (aggregate, projection)");
        COMPONENTS.put("io.leadscore.server.readside.", "score projection");
        COMPONENTS.put("io.leadscore.server.eventstore.", "event store engine");
        COMPONENTS.put("io.leadscore.server.storage.h2.", "embedded store documents (BSON in H2)");
        COMPONENTS.put("io.leadscore.server.privacy.", "personal data sealing");
        COMPONENTS.put("io.leadscore.server.", "other Leadscore code");
        COMPONENTS.put("org.h2.", "H2 MVStore (pages, commits)");
        COMPONENTS.put("de.bwaldvogel.", "mongo-java-server (wire protocol, queries)");
        COMPONENTS.put("com.mongodb.", "MongoDB driver");
        COMPONENTS.put("org.bson.", "BSON codecs");
        COMPONENTS.put("com.fasterxml.jackson.", "Jackson (event serialization)");
        COMPONENTS.put("org.axonframework.", "Axon (commands, unit of work, processor)");
        COMPONENTS.put("io.grpc.", "gRPC");
        COMPONENTS.put("io.netty.", "Netty");
        COMPONENTS.put("com.google.protobuf.", "protobuf");
        COMPONENTS.put("com.github.benmanes.caffeine.", "Caffeine");
        COMPONENTS.put("io.micrometer.", "Micrometer");
        COMPONENTS.put("javax.crypto.", "JDK crypto");
        COMPONENTS.put("com.sun.crypto.", "JDK crypto");
    }

    @Parameters(index = "0", paramLabel = "FILE.jfr", description = "A JFR recording of the server.")
    Path recording;

    @Option(names = "--top", defaultValue = "15", description = "Hottest methods to list (default ${DEFAULT-VALUE}).")
    int top;

    @Override
    public Integer call() throws IOException {
        Map<String, Long> byComponent = new HashMap<>();
        Map<String, Long> byMethod = new HashMap<>();
        Map<String, Long> byThread = new HashMap<>();
        long samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                continue;
            }
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            samples++;
            byMethod.merge(name(frames.get(0)), 1L, Long::sum);
            byComponent.merge(component(frames), 1L, Long::sum);
            byThread.merge(threadGroup(event), 1L, Long::sum);
        }
        System.out.printf(Locale.ROOT, "%,d execution samples in %s%n%n", samples, recording);
        print(byComponent, "COMPONENT (innermost frame that has one)", samples, Integer.MAX_VALUE);
        System.out.println();
        print(byMethod, "METHOD ON TOP OF THE STACK", samples, top);
        System.out.println();
        print(byThread, "THREAD (numbers folded)", samples, top);
        return 0;
    }

    private static String component(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            for (Map.Entry<String, String> component : COMPONENTS.entrySet()) {
                if (type.startsWith(component.getKey())) {
                    return component.getValue();
                }
            }
        }
        return "JDK and other (no component on the stack)";
    }

    /** The sampled thread's name with its numbers folded, so a pool's threads count as one. */
    private static String threadGroup(RecordedEvent event) {
        jdk.jfr.consumer.RecordedThread thread = event.getThread("sampledThread");
        String name = thread == null || thread.getJavaName() == null ? "?" : thread.getJavaName();
        return name.replaceAll("[0-9]+", "N");
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static void print(Map<String, Long> counts, String heading, long samples, int limit) {
        ResultTable table = new ResultTable(heading, "SAMPLES", "SHARE");
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(limit)
              .forEach(entry -> table.row(entry.getKey(), String.format(Locale.ROOT, "%,d", entry.getValue()),
                                          String.format(Locale.ROOT, "%.1f %%", 100.0 * entry.getValue()
                                                                                / Math.max(samples, 1))));
        table.print(System.out);
    }
}
