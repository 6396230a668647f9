package io.dmm.core.config;

import io.dmm.api.Protocol;
import io.dmm.core.policy.Cidr;
import java.util.List;

/**
 * What FD.io DMM's pair of files say, before it is turned into rules: the modules (stacks) of
 * module_config.json and the routes of rd_config.json. Stack references are kept as written (a
 * stack name or a DMM plane name such as {@code nstack-kernel}) with their location, so that an
 * unknown one is reported where it is written.
 */
record DmmConfig(String moduleFile, String rdFile, List<Module> modules, LocatedValue defaultStackName,
                 List<IpRoute> ipRoutes, List<ProtRoute> protRoutes) {

    /** One {@code module_list} entry. */
    record Module(String stackName, LocatedValue entry) {
    }

    /** An {@code ip_route} subnet; {@code target} is the value naming its stack. */
    record IpRoute(Cidr subnet, LocatedValue target, LocatedValue entry) {
    }

    /** A {@code prot_route} / {@code protocol_route} entry. */
    record ProtRoute(Protocol protocol, LocatedValue target, LocatedValue entry) {
    }
}
