// OWL 2 DL profile check of local ontology files with the OWL API (the library Protégé is built on).
//
// Usage: java DlCheck [--turtle] [--map IRI=FILE]... [--catalog catalog-v001.xml]... FILE...
//
// --turtle reads every FILE with the OWL API's own Turtle parser only, with no fallback to the
// other parsers (rdf4j's Rio among them), as a strict check that an OWL API tool reads it.
// Every FILE is loaded into one manager; imports are resolved ONLY through --map pairs and
// <uri name=... uri=.../> entries of the given XML catalogs (Protégé's catalog-v001.xml). Any
// other import is never fetched: it is reported as a MISSING_IMPORT and loading goes on. The
// axioms and ontology annotations of the imports closures of all FILEs are merged into one
// ontology, which OWL2DLProfile checks. Output is one tab-separated record per line:
//
//   ONTOLOGY  <ontology IRI or "anonymous">  <document IRI>   (each ontology in the closure)
//   MISSING_IMPORT  <IRI>  <why>
//   UNPARSED  <triple>                    (RDF the OWL API could not turn into axioms)
//   GUESSED  <IRI>  <kind>                (an entity used without a declaration)
//   VIOLATION  <type>  <description>      (an OWL 2 DL profile violation)
//   STATS  axioms=N  logical=N  annotated=N  quoted=N  individuals=N
//
// Exit status: 0 when there is no violation, missing import, unparsed triple or guessed
// declaration; 1 when there is any; 2 when a file cannot be loaded at all.

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.formats.TurtleDocumentFormat;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.io.RDFParserMetaData;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.OWLAxiom;
import org.semanticweb.owlapi.model.OWLDocumentFormat;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyIRIMapper;
import org.semanticweb.owlapi.model.OWLOntologyLoaderConfiguration;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.model.parameters.Imports;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

public final class DlCheck {
    static final IRI QUOTE = IRI.create("https://w3id.org/azgraph/ontology#quote");
    static final Set<String> out = new TreeSet<>();

    /** Imports resolve to local files only; an unmapped IRI goes to a file that cannot exist. */
    static final class LocalOnly implements OWLOntologyIRIMapper {
        final Map<String, IRI> map = new LinkedHashMap<>();

        @Override
        public IRI getDocumentIRI(IRI ontologyIRI) {
            IRI local = map.get(ontologyIRI.toString());
            if (local != null) {
                return local;
            }
            return IRI.create(new File("/nonexistent/azgraph-owlcheck/not-fetched.owl"));
        }
    }

    static void readCatalog(File catalog, LocalOnly mapper) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        NodeList uris = factory.newDocumentBuilder().parse(catalog).getElementsByTagNameNS("*", "uri");
        for (int i = 0; i < uris.getLength(); i++) {
            Element uri = (Element) uris.item(i);
            File target = new File(catalog.getAbsoluteFile().getParentFile(), uri.getAttribute("uri"));
            mapper.map.put(uri.getAttribute("name"), IRI.create(target.getCanonicalFile()));
        }
    }

    static String clean(Object value) {
        return String.valueOf(value).replaceAll("\\s+", " ").trim();
    }

    public static void main(String[] args) throws Exception {
        LocalOnly mapper = new LocalOnly();
        List<File> files = new ArrayList<>();
        boolean turtle = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--turtle")) {
                turtle = true;
            } else if (args[i].equals("--map") && i + 1 < args.length) {
                String[] pair = args[++i].split("=", 2);
                mapper.map.put(pair[0], IRI.create(new File(pair[1]).getCanonicalFile()));
            } else if (args[i].equals("--catalog") && i + 1 < args.length) {
                readCatalog(new File(args[++i]), mapper);
            } else {
                files.add(new File(args[i]));
            }
        }
        if (files.isEmpty()) {
            System.err.println("usage: DlCheck [--map IRI=FILE]... [--catalog FILE]... FILE...");
            System.exit(2);
        }
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        manager.getIRIMappers().set(mapper);
        manager.setOntologyLoaderConfiguration(
                new OWLOntologyLoaderConfiguration()
                        .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.SILENT)
                        .setFollowRedirects(false)
                        .setConnectionTimeout(1));
        manager.addMissingImportListener(
                event -> out.add("MISSING_IMPORT\t" + event.getImportedOntologyURI() + "\t"
                        + clean(event.getCreationException().getClass().getSimpleName())));
        List<OWLOntology> roots = new ArrayList<>();
        for (File file : files) {
            try {
                FileDocumentSource source = turtle
                        ? new FileDocumentSource(file, new TurtleDocumentFormat())
                        : new FileDocumentSource(file);
                roots.add(manager.loadOntologyFromOntologyDocument(source));
            } catch (Exception e) {
                System.out.println("LOAD_ERROR\t" + file + "\t" + clean(e.getMessage()).replace("", ""));
                System.exit(2);
            }
        }
        OWLOntology merged = manager.createOntology(IRI.create("urn:azgraph:owlcheck:merged"));
        for (OWLOntology root : roots) {
            for (OWLOntology ont : root.importsClosure().collect(Collectors.toList())) {
                String iri = ont.getOntologyID().getOntologyIRI().map(IRI::toString).orElse("anonymous");
                out.add("ONTOLOGY\t" + iri + "\t" + manager.getOntologyDocumentIRI(ont));
                merged.addAxioms(ont.axioms());
                ont.annotations().forEach(a -> manager.applyChange(
                        new org.semanticweb.owlapi.model.AddOntologyAnnotation(merged, a)));
                OWLDocumentFormat format = manager.getOntologyFormat(ont);
                if (format != null && format.getOntologyLoaderMetaData().isPresent()
                        && format.getOntologyLoaderMetaData().get() instanceof RDFParserMetaData) {
                    RDFParserMetaData meta = (RDFParserMetaData) format.getOntologyLoaderMetaData().get();
                    meta.getUnparsedTriples().forEach(t -> out.add("UNPARSED\t" + clean(t)));
                    meta.getGuessedDeclarations().forEach(
                            (entity, kind) -> out.add("GUESSED\t" + entity + "\t" + kind.getSimpleName()));
                }
            }
        }
        OWLProfileReport report = new OWL2DLProfile().checkOntology(merged);
        for (OWLProfileViolation violation : report.getViolations()) {
            out.add("VIOLATION\t" + violation.getClass().getSimpleName() + "\t" + clean(violation));
        }
        long annotated = merged.axioms().filter(OWLAxiom::isAnnotated).count();
        long quoted = merged.axioms()
                .filter(a -> a.annotations().anyMatch(an -> an.getProperty().getIRI().equals(QUOTE)))
                .count();
        boolean problems = false;
        for (String line : out) {
            System.out.println(line);
            problems |= !line.startsWith("ONTOLOGY\t");
        }
        System.out.println("STATS\taxioms=" + merged.getAxiomCount()
                + "\tlogical=" + merged.getLogicalAxiomCount()
                + "\tannotated=" + annotated
                + "\tquoted=" + quoted
                + "\tindividuals=" + merged.getIndividualsInSignature(Imports.EXCLUDED).size());
        System.exit(problems ? 1 : 0);
    }
}
