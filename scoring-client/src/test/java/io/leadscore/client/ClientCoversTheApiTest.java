package io.leadscore.client;

import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LeadscoreClient} has a method for every RPC of every service of the API. The mapping: an RPC's client
 * method is named as the RPC in lower camel case ({@code GetScoreAt} is {@code getScoreAt}), overloads allowed. A
 * new RPC in any proto, or a new service, fails here until the client has its method.
 */
class ClientCoversTheApiTest {

    @Test
    void everyRpcOfEveryServiceHasAClientMethod() {
        List<ServiceDescriptor> services = ApiServices.all();

        assertThat(services).extracting(ServiceDescriptor::getName) // the scan found the services it must
                            .contains("leadscore.v1.LeadService", "leadscore.v1.ScoreService",
                                      "leadscore.v1.ModelService", "leadscore.v1.BacktestService",
                                      "leadscore.v1.AnalyticsService");
        assertThat(rpcsWithoutClientMethod(services)).isEmpty();
    }

    @Test
    void anRpcWithoutAClientMethodIsReportedByServiceAndName() {
        ServiceDescriptor future = new ServiceDescriptor("leadscore.v1.ScoreService",
                rpc("leadscore.v1.ScoreService", "GetScore"), rpc("leadscore.v1.ScoreService", "PredictChurn"));

        assertThat(rpcsWithoutClientMethod(List.of(future)))
                .containsExactly("leadscore.v1.ScoreService/PredictChurn: no method predictChurn");
    }

    /** Each RPC whose client method is missing, as {@code service/Rpc: no method rpc}. */
    private static List<String> rpcsWithoutClientMethod(Collection<ServiceDescriptor> services) {
        Set<String> clientMethods = Arrays.stream(LeadscoreClient.class.getMethods())
                                          .filter(method -> !Modifier.isStatic(method.getModifiers()))
                                          .map(Method::getName)
                                          .collect(Collectors.toSet());
        return services.stream()
                       .flatMap(service -> service.getMethods().stream())
                       .filter(rpc -> !clientMethods.contains(clientMethodName(rpc)))
                       .map(rpc -> rpc.getFullMethodName() + ": no method " + clientMethodName(rpc))
                       .sorted()
                       .toList();
    }

    /** The mapping: {@code GetScoreAt} is {@code getScoreAt}. */
    static String clientMethodName(MethodDescriptor<?, ?> rpc) {
        String name = rpc.getBareMethodName();
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    private static MethodDescriptor<byte[], byte[]> rpc(String service, String name) {
        return MethodDescriptor.<byte[], byte[]>newBuilder().setType(MethodDescriptor.MethodType.UNARY)
                               .setFullMethodName(MethodDescriptor.generateFullMethodName(service, name))
                               .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
    }

    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    };
}
