package io.leadscore.client.cli;

import io.leadscore.client.LeadscoreClient;
import io.leadscore.v1.CreateModelRequest;
import io.leadscore.v1.GetModelRequest;
import io.leadscore.v1.GetModelResponse;
import io.leadscore.v1.ListModelsResponse;
import io.leadscore.v1.ModelInfo;
import io.leadscore.v1.PublishModelRequest;
import io.leadscore.v1.PublishProgress;
import io.leadscore.v1.PublishSummary;
import io.leadscore.v1.RollbackModelRequest;
import io.leadscore.v1.ValidateModelRequest;
import io.leadscore.v1.ValidateModelResponse;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;

/** {@code leadscore model}: validate, push, publish, roll back and list scoring models. */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = "Manage scoring models (YAML documents, see ops/models/default.yaml).",
        subcommands = {ModelCommand.Validate.class, ModelCommand.Push.class, ModelCommand.Publish.class,
                       ModelCommand.Rollback.class, ModelCommand.ListModels.class, ModelCommand.Show.class})
final class ModelCommand {

    @ParentCommand
    LeadscoreCli cli;

    /** What the model subcommands share: the model group (and through it the global options) and their spec. */
    abstract static class ModelSubcommand implements Callable<Integer> {
        @ParentCommand
        ModelCommand model;
        @Spec
        CommandSpec spec;

        int run(LeadscoreCli.ClientAction action) {
            return model.cli.run(spec, action);
        }

        boolean json() {
            return model.cli.json;
        }
    }

    /** A publish rescores every lead from the stored history: it takes far longer than the usual call. */
    static final Duration USUAL_REPLAY_TIMEOUT = Duration.ofMinutes(30);

    /** What publish and rollback share: they wait while the server rescores every lead. */
    abstract static class ReplaySubcommand extends ModelSubcommand {
        @Option(names = "--timeout", converter = LeadscoreCli.DurationConverter.class,
                description = "Give up after, such as 45m (default: --deadline if given, else 30m).")
        Duration timeout;

        /** A client whose deadline fits the replay. */
        LeadscoreClient replaying(LeadscoreClient client) {
            return client.withDeadline(model.cli.longCallDeadline(timeout, USUAL_REPLAY_TIMEOUT));
        }
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    @Command(name = "validate", description = "Check a model file and list every problem; stores nothing.")
    static final class Validate extends ModelSubcommand {
        @Parameters(index = "0", converter = InputFiles.ExistingFile.class, description = "The model file (YAML).")
        Path file;

        @Override
        public Integer call() {
            int[] exit = {0};
            int code = run((client, out) -> {
                ValidateModelResponse response = client.validateModel(ValidateModelRequest.newBuilder()
                                                                                          .setDocument(read(file))
                                                                                          .build());
                if (json()) {
                    Output.json(out, response);
                } else if (response.getValid()) {
                    out.println(response.getVersionName() + " is valid");
                } else {
                    Table table = new Table("PATH", "PROBLEM");
                    response.getProblemsList().forEach(p -> table.row(p.getPath().isEmpty() ? "-" : p.getPath(),
                                                                      p.getReason()));
                    table.print(out);
                }
                exit[0] = response.getValid() ? ExitCodes.OK : ExitCodes.PARTLY_REJECTED;
            });
            return code != 0 ? code : exit[0];
        }
    }

    @Command(name = "push", description = "Store a model file as a draft version (id and version from the file).")
    static final class Push extends ModelSubcommand {
        @Parameters(index = "0", converter = InputFiles.ExistingFile.class, description = "The model file (YAML).")
        Path file;

        @Override
        public Integer call() {
            return run((client, out) -> {
                ModelInfo info = client.createModel(CreateModelRequest.newBuilder().setDocument(read(file)).build())
                                       .getModel();
                if (json()) {
                    Output.json(out, info);
                } else {
                    models(out, java.util.List.of(info));
                }
            });
        }
    }

    @Command(name = "publish", description = "Make a stored version the active model and rescore every lead.")
    static final class Publish extends ReplaySubcommand {
        @Parameters(index = "0", description = "The version, as id@version (for example default@2).")
        String versionName;

        @Override
        public Integer call() {
            VersionName name = VersionName.parse(versionName);
            if (name == null) {
                spec.commandLine().getErr().println("error: give the version as id@version, such as default@2");
                return ExitCodes.USAGE;
            }
            return run((client, out) -> {
                PublishModelRequest request = PublishModelRequest.newBuilder().setModelId(name.id())
                                                                 .setVersion(name.version()).build();
                PublishSummary summary = withProgressBar(progress -> replaying(client).publishModel(request,
                                                                                                    progress));
                summary(out, summary, json());
            });
        }
    }

    /** A model version as people write it, {@code id@version}. */
    record VersionName(String id, int version) {

        /** The version named, or null when {@code text} is not {@code id@version} with a positive version. */
        static VersionName parse(String text) {
            int at = text.lastIndexOf('@');
            if (at <= 0 || !text.substring(at + 1).matches("[1-9][0-9]{0,8}")) {
                return null;
            }
            return new VersionName(text.substring(0, at), Integer.parseInt(text.substring(at + 1)));
        }
    }

    @Command(name = "rollback", description = {
            "Go back to the model that was active before the current one was published (again: further back),",
            "or with --to to any version published before. Recorded stage history never changes; the model",
            "gone back to moves current stages only as its lifecycle.on_model_change says."})
    static final class Rollback extends ReplaySubcommand {
        @Option(names = "--to", paramLabel = "ID@VERSION", description = "A version published before.")
        String to;

        @Override
        public Integer call() {
            RollbackModelRequest.Builder request = RollbackModelRequest.newBuilder();
            if (to != null) {
                VersionName name = VersionName.parse(to);
                if (name == null) {
                    spec.commandLine().getErr().println("error: --to takes id@version, such as default@1");
                    return ExitCodes.USAGE;
                }
                request.setModelId(name.id()).setVersion(name.version());
            }
            return run((client, out) -> {
                PublishSummary summary = withProgressBar(progress -> replaying(client).rollbackModel(request.build(),
                                                                                                     progress));
                summary(out, summary, json());
            });
        }
    }

    @Command(name = "list", description = "List the stored model versions.")
    static final class ListModels extends ModelSubcommand {

        @Override
        public Integer call() {
            return run((client, out) -> {
                ListModelsResponse response = client.listModels();
                if (json()) {
                    Output.json(out, response);
                } else {
                    models(out, response.getModelsList());
                }
            });
        }
    }

    @Command(name = "show", description = "Print a stored version's document.")
    static final class Show extends ModelSubcommand {
        @Parameters(index = "0", description = "id@version, or an id for its highest version.")
        String versionName;

        @Override
        public Integer call() {
            int at = versionName.lastIndexOf('@');
            GetModelRequest request = GetModelRequest.newBuilder()
                    .setModelId(at > 0 ? versionName.substring(0, at) : versionName)
                    .setVersion(at > 0 ? Integer.parseInt(versionName.substring(at + 1)) : 0).build();
            return run((client, out) -> {
                GetModelResponse response = client.getModel(request);
                if (json()) {
                    Output.json(out, response);
                } else {
                    out.print(response.getDocument());
                    out.flush();
                }
            });
        }
    }

    /** Runs {@code replay} under a progress bar that its progress moves; answers its summary. */
    private static PublishSummary withProgressBar(Function<Consumer<PublishProgress>, PublishSummary> replay) {
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("rescore").setInitialMax(1)
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(System.err))
                .continuousUpdate().build()) {
            PublishSummary summary = replay.apply(progress -> {
                bar.maxHint(Math.max(progress.getHeadPosition(), progress.getEventsReplayed()));
                bar.stepTo(progress.getEventsReplayed());
            });
            bar.stepTo(bar.getMax());
            return summary;
        }
    }

    private static void summary(PrintWriter out, PublishSummary summary, boolean json) {
        if (json) {
            Output.json(out, summary);
            return;
        }
        new Table("ACTIVE", "PREVIOUS", "RESCORED", "CHANGED BAND", "BECAME MQL", "LEFT MQL", "REPLAY MS")
                .row(summary.getActiveVersion(), summary.getPreviousVersion(), summary.getLeadsRescored(),
                     summary.getLeadsChangedBand(), summary.getLeadsBecameMql(), summary.getLeadsLeftMql(),
                     summary.getReplayMillis())
                .print(out);
    }

    private static void models(PrintWriter out, java.util.List<ModelInfo> models) {
        Table table = new Table("VERSION", "STATE", "CREATED", "LAST PUBLISHED", "DESCRIPTION");
        for (ModelInfo info : models) {
            table.row(info.getVersionName(), info.getState().name().replace("MODEL_STATE_", ""),
                      info.hasCreatedAt() ? Output.instant(info.getCreatedAt()) : "built-in",
                      info.hasLastPublishedAt() ? Output.instant(info.getLastPublishedAt()) : "-",
                      info.getDescription());
        }
        table.print(out);
    }

}
