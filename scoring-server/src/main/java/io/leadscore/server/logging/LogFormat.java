package io.leadscore.server.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.LoggerFactory;

import java.net.URL;

/** Switches the server's logs between lines for people ({@code text}) and JSON lines for log shippers. */
public enum LogFormat {
    TEXT("/logback.xml"),
    JSON("/logback-json.xml");

    private final String configuration;

    LogFormat(String configuration) {
        this.configuration = configuration;
    }

    /** Reconfigures logging now, whatever was configured before. */
    public void apply() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        URL resource = LogFormat.class.getResource(configuration);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        context.reset();
        try {
            configurator.doConfigure(resource);
        } catch (JoranException e) {
            throw new IllegalStateException("cannot configure logging from " + configuration, e);
        }
    }
}
