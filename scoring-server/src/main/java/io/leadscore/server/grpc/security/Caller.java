package io.leadscore.server.grpc.security;

import java.util.Set;

/**
 * An authenticated caller: the name from the callers file (for logs and audit) and its roles.
 *
 * @param name  the caller's name, such as {@code crm-sync}
 * @param roles what it may do
 */
public record Caller(String name, Set<Role> roles) {

    public Caller {
        roles = Set.copyOf(roles);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }
}
