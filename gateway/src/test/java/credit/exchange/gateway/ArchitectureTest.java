package credit.exchange.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The layout's rules, kept true by the build: dependencies point down, trust has no infrastructure. */
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
}
