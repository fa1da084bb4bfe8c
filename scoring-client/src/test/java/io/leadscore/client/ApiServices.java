package io.leadscore.client;

import io.grpc.ServiceDescriptor;
import io.leadscore.v1.LeadServiceGrpc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Every gRPC service of the API, found from the code the protos generate (one {@code *Grpc} class per service in
 * {@code io.leadscore.v1}), so a service added to a proto is here without anyone listing it.
 */
public final class ApiServices {

    private static final String PACKAGE = LeadServiceGrpc.class.getPackageName();
    private static final String FOLDER = PACKAGE.replace('.', '/') + "/";

    private ApiServices() {
    }

    public static List<ServiceDescriptor> all() {
        List<ServiceDescriptor> services = new ArrayList<>();
        for (String className : grpcClassNames()) {
            try {
                services.add((ServiceDescriptor) Class.forName(PACKAGE + "." + className)
                                                      .getMethod("getServiceDescriptor").invoke(null));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(className + " has no service descriptor", e);
            }
        }
        services.sort(Comparator.comparing(ServiceDescriptor::getName));
        return services;
    }

    /** The simple names of the generated {@code *Grpc} classes, from the jar or folder that holds them. */
    private static List<String> grpcClassNames() {
        try {
            Path location = Path.of(LeadServiceGrpc.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            List<String> entries = new ArrayList<>();
            if (Files.isDirectory(location)) {
                try (Stream<Path> files = Files.list(location.resolve(FOLDER))) {
                    files.forEach(file -> entries.add(FOLDER + file.getFileName()));
                }
            } else {
                try (JarFile jar = new JarFile(location.toFile())) {
                    jar.stream().forEach(entry -> entries.add(entry.getName()));
                }
            }
            return entries.stream()
                          .filter(name -> name.startsWith(FOLDER) && name.endsWith("Grpc.class"))
                          .map(name -> name.substring(FOLDER.length(), name.length() - ".class".length()))
                          .filter(name -> !name.contains("/") && !name.contains("$"))
                          .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
