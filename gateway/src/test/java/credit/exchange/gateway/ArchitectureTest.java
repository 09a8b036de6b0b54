package credit.exchange.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The layout's rules, kept true by the build: dependencies point down, flows form no cycle, trust has no infrastructure. */
@AnalyzeClasses(packages = "credit.exchange", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule securityKnowsNothingAbove = noClasses().that().resideInAPackage("credit.exchange.security..")
            .should().dependOnClassesThat().resideInAnyPackage("credit.exchange.routes..", "credit.exchange.gateway..");

    @ArchTest
    static final ArchRule securityHasNoCamelAndNoDatabase = noClasses().that().resideInAPackage("credit.exchange.security..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.camel..", "java.sql..", "javax.sql..",
                    "org.postgresql..", "org.apache.activemq..");

    @ArchTest
    static final ArchRule routesDoNotReachIntoTheRunnableNode = noClasses().that().resideInAPackage("credit.exchange.routes..")
            .should().dependOnClassesThat().resideInAPackage("credit.exchange.gateway..");

    @ArchTest
    static final ArchRule onlyTheSecurityModuleDecidesAccess = noClasses()
            .that().resideOutsideOfPackage("credit.exchange.security.access..")
            .should().dependOnClassesThat().haveSimpleName("AccessDecision$Deny")
            .because("denials are made by AccessPolicy alone; other code only applies its answer");

    /** A flow is a folder: two flows that need each other are one flow, or one of them owns code that belongs to the other. */
    @ArchTest
    static final ArchRule routesFlowsHaveNoCycles = slices().matching("credit.exchange.routes.(*)..").namingSlices("routes/$1")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule gatewayPartsHaveNoCycles = slices().matching("credit.exchange.gateway.(*)..").namingSlices("gateway/$1")
            .should().beFreeOfCycles();

    /** The audit trail is beneath every flow: each flow writes to it, so it may call none of them back. */
    @ArchTest
    static final ArchRule theAuditTrailKnowsNoFlowAboveIt = noClasses().that().resideInAPackage("credit.exchange.routes.audit..")
            .should().dependOnClassesThat().resideInAnyPackage("credit.exchange.routes.exchange..", "credit.exchange.routes.countersign..",
                    "credit.exchange.routes.push..", "credit.exchange.routes.alliance..", "credit.exchange.routes.mutualquery..",
                    "credit.exchange.routes.ingest..", "credit.exchange.routes.conformance..", "credit.exchange.routes.partnerstatus..");

    /** The exchange is the carrier the partner flows use; it knows none of what it carries. */
    @ArchTest
    static final ArchRule theExchangeKnowsNoFlowItCarries = noClasses().that().resideInAPackage("credit.exchange.routes.exchange..")
            .should().dependOnClassesThat().resideInAnyPackage("credit.exchange.routes.countersign..", "credit.exchange.routes.push..",
                    "credit.exchange.routes.alliance..", "credit.exchange.routes.mutualquery..", "credit.exchange.routes.conformance..",
                    "credit.exchange.routes.partnerstatus..");

    /** What every flow stands on (errors as answers, identifiers, the domain model, partner files, the database) knows no flow. */
    @ArchTest
    static final ArchRule theFoundationsKnowNoFlow = noClasses().that().resideInAnyPackage("credit.exchange.routes.api..",
                    "credit.exchange.routes.identifier..", "credit.exchange.routes.model..", "credit.exchange.routes.partner..",
                    "credit.exchange.routes.store..")
            .should().dependOnClassesThat().resideInAnyPackage("credit.exchange.routes.access..", "credit.exchange.routes.alliance..",
                    "credit.exchange.routes.audit..", "credit.exchange.routes.conformance..", "credit.exchange.routes.countersign..",
                    "credit.exchange.routes.exchange..", "credit.exchange.routes.ingest..", "credit.exchange.routes.mutualquery..",
                    "credit.exchange.routes.partnerstatus..", "credit.exchange.routes.push..", "credit.exchange.routes.query..",
                    "credit.exchange.routes.seed..");

    /** The partners' status reads what the flows leave and the conformance run is a tool: no flow depends on either. */
    @ArchTest
    static final ArchRule noFlowDependsOnTheStatusReadModelOrTheConformanceTool = noClasses().that().resideInAPackage("credit.exchange.routes..")
            .and().resideOutsideOfPackages("credit.exchange.routes.partnerstatus..", "credit.exchange.routes.conformance..")
            .should().dependOnClassesThat().resideInAnyPackage("credit.exchange.routes.partnerstatus..", "credit.exchange.routes.conformance..");

    /** Seed data is for the demo, tests and benchmarks: no flow of the running node depends on it. */
    @ArchTest
    static final ArchRule noFlowDependsOnTheSeedGenerator = noClasses().that().resideInAPackage("credit.exchange.routes..")
            .and().resideOutsideOfPackage("credit.exchange.routes.seed..")
            .should().dependOnClassesThat().resideInAPackage("credit.exchange.routes.seed..");
}
