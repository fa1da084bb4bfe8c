package io.leadscore.server.compat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.leadscore.v1.AnalyticsServiceGrpc;
import io.leadscore.v1.BacktestServiceGrpc;
import io.leadscore.v1.LeadServiceGrpc;
import io.leadscore.v1.ModelServiceGrpc;
import io.leadscore.v1.RunBacktestResponse;
import io.leadscore.v1.ScoreServiceGrpc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Calls recorded in a store fixture's {@code expected.json}: each names its RPC ({@code leadscore.v1.Service/Method})
 * and holds its request and its answer as protobuf JSON. The fixture's test replays them generically, by method
 * name, so the JSON file alone says what a later version must answer: a later scenario needs no new test code.
 *
 * <p>Answers are JSON trees with every object's keys sorted, so that the file reads and diffs the same however the
 * printer orders fields. A failed call is recorded as its status code and description. The one figure that is
 * measured rather than computed, a backtest's read speed, is left out.
 */
final class RecordedCalls {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();
    private static final Map<String, MethodDescriptor<Message, Message>> METHODS = methods();

    private RecordedCalls() {
    }

    @SuppressWarnings("unchecked")
    private static Map<String, MethodDescriptor<Message, Message>> methods() {
        Map<String, MethodDescriptor<Message, Message>> methods = new TreeMap<>();
        for (ServiceDescriptor service : List.of(LeadServiceGrpc.getServiceDescriptor(),
                                                 ScoreServiceGrpc.getServiceDescriptor(),
                                                 ModelServiceGrpc.getServiceDescriptor(),
                                                 BacktestServiceGrpc.getServiceDescriptor(),
                                                 AnalyticsServiceGrpc.getServiceDescriptor())) {
            for (MethodDescriptor<?, ?> method : service.getMethods()) {
                methods.put(method.getFullMethodName(), (MethodDescriptor<Message, Message>) method);
            }
        }
        return methods;
    }

    /** One recorded call: {@code {"method": ..., "request": {...}, "response": {...}}}. */
    static ObjectNode record(Channel channel, MethodDescriptor<?, ?> method, Message request) {
        ObjectNode call = JsonNodeFactory.instance.objectNode();
        call.put("method", method.getFullMethodName());
        call.set("request", toJson(request));
        call.set("response", invoke(channel, method.getFullMethodName(), request));
        return call;
    }

    /** Calls {@code call}'s method with its request; the answer as it would be recorded. */
    static JsonNode replay(Channel channel, JsonNode call) {
        String name = call.path("method").asText();
        return invoke(channel, name, request(name, call.path("request")));
    }

    private static Message request(String methodName, JsonNode json) {
        MethodDescriptor<Message, Message> method = method(methodName);
        Message.Builder builder = ((MethodDescriptor.PrototypeMarshaller<Message>) method.getRequestMarshaller())
                .getMessagePrototype().newBuilderForType();
        try {
            PARSER.merge(JSON.writeValueAsString(json), builder);
        } catch (InvalidProtocolBufferException | JsonProcessingException e) {
            throw new IllegalArgumentException("request of " + methodName + " does not parse: " + json, e);
        }
        return builder.build();
    }

    private static MethodDescriptor<Message, Message> method(String name) {
        MethodDescriptor<Message, Message> method = METHODS.get(name);
        if (method == null) {
            throw new IllegalArgumentException("no RPC " + name + " (renamed?); known: " + METHODS.keySet());
        }
        return method;
    }

    /** Unary calls answer once; server streams are recorded by their last message (the summary or report). */
    private static JsonNode invoke(Channel channel, String methodName, Message request) {
        MethodDescriptor<Message, Message> method = method(methodName);
        CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS);
        try {
            Message response;
            switch (method.getType()) {
                case UNARY -> response = ClientCalls.blockingUnaryCall(channel, method, options, request);
                case SERVER_STREAMING -> {
                    Iterator<Message> messages = ClientCalls.blockingServerStreamingCall(channel, method, options,
                                                                                         request);
                    response = null;
                    while (messages.hasNext()) {
                        response = messages.next();
                    }
                }
                default -> throw new IllegalArgumentException(methodName + " is " + method.getType()
                                                              + ": only unary and server-streaming calls replay");
            }
            return toJson(withoutMeasurements(response));
        } catch (StatusRuntimeException e) {
            ObjectNode error = JsonNodeFactory.instance.objectNode();
            error.put("code", e.getStatus().getCode().name());
            error.put("description", String.valueOf(e.getStatus().getDescription()));
            ObjectNode failed = JsonNodeFactory.instance.objectNode();
            failed.set("error", error);
            return failed;
        }
    }

    /** A backtest's read speed and wall time differ from run to run: everything else is computed. */
    private static Message withoutMeasurements(Message response) {
        if (response instanceof RunBacktestResponse backtest && backtest.hasReport()) {
            return backtest.toBuilder().setReport(backtest.getReport().toBuilder().clearRead()).build();
        }
        return response;
    }

    /** {@code message} as protobuf JSON, keys sorted. */
    static JsonNode toJson(Message message) {
        if (message == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        try {
            return sorted(JSON.readTree(PRINTER.print(message)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same tree with every object's keys in alphabetical order. */
    static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            ObjectNode sorted = JsonNodeFactory.instance.objectNode();
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.stream().sorted().forEach(name -> sorted.set(name, sorted(node.get(name))));
            return sorted;
        }
        if (node.isArray()) {
            ArrayNode sorted = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> sorted.add(sorted(element)));
            return sorted;
        }
        return node;
    }

    /**
     * Where {@code actual} differs from {@code expected}, one line per differing leaf ({@code path: expected X, was
     * Y}), at most {@code limit} lines: the readable diff of a failed comparison.
     */
    static List<String> differences(String path, JsonNode expected, JsonNode actual, int limit) {
        return differences(path, expected, actual, limit, Set.of());
    }

    /**
     * As {@link #differences(String, JsonNode, JsonNode, int)}, but a field named in {@code addedSince} that the
     * recorded answer lacks is no difference: a later version added it (such as a reply's store {@code position}),
     * and a client of the recording's version ignores it.
     */
    static List<String> differences(String path, JsonNode expected, JsonNode actual, int limit,
                                    Set<String> addedSince) {
        List<String> lines = new ArrayList<>();
        compare(path, expected, actual, lines, limit, addedSince);
        return lines;
    }

    private static void compare(String path, JsonNode expected, JsonNode actual, List<String> lines, int limit,
                                Set<String> addedSince) {
        if (lines.size() >= limit) {
            return;
        }
        if (expected == null || actual == null || expected.isMissingNode() || actual.isMissingNode()) {
            if (!(isAbsent(expected) && isAbsent(actual))) {
                lines.add(path + ": expected " + show(expected) + ", was " + show(actual));
            }
        } else if (expected.isObject() && actual.isObject()) {
            Map<String, Boolean> names = new LinkedHashMap<>();
            expected.fieldNames().forEachRemaining(name -> names.put(name, true));
            actual.fieldNames().forEachRemaining(name -> names.put(name, true));
            names.keySet().stream().sorted()
                 .filter(name -> expected.has(name) || !addedSince.contains(name))
                 .forEach(name -> compare(path + "." + name, expected.get(name), actual.get(name), lines, limit,
                                          addedSince));
        } else if (expected.isArray() && actual.isArray()) {
            for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
                compare(path + "[" + i + "]", expected.get(i), actual.get(i), lines, limit, addedSince);
            }
        } else if (!expected.equals(actual)) {
            lines.add(path + ": expected " + show(expected) + ", was " + show(actual));
        }
    }

    private static boolean isAbsent(JsonNode node) {
        return node == null || node.isMissingNode();
    }

    private static String show(JsonNode node) {
        if (isAbsent(node)) {
            return "(absent)";
        }
        String text = node.toString();
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static void write(Path file, JsonNode tree) {
        try {
            Files.writeString(file, JSON.writeValueAsString(sorted(tree)) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Copies the directory tree {@code from} into {@code to} (created), byte for byte. */
    static void copyTree(Path from, Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " to " + to, e);
        }
    }
}
