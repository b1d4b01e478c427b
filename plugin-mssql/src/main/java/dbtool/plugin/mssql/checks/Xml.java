package dbtool.plugin.mssql.checks;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/** Small DOM helpers for the XML SQL Server hands out (ring buffer records, Extended Events data). */
public final class Xml {

    private Xml() {
    }

    /** Parses text from the server; no DTDs or external entities, whatever the text says. */
    public static Element parse(String text) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder.parse(new InputSource(new StringReader(text))).getDocumentElement();
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new IllegalStateException("the server returned XML that cannot be read: " + e.getMessage(), e);
        }
    }

    /** Direct child elements with this name (any name when null). */
    public static List<Element> children(Element parent, String name) {
        List<Element> children = new ArrayList<>();
        if (parent == null) {
            return children;
        }
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && (name == null || element.getTagName().equals(name))) {
                children.add(element);
            }
        }
        return children;
    }

    /** The first element along this path of child names, or null. */
    public static Element path(Element from, String... names) {
        Element current = from;
        for (String name : names) {
            if (current == null) {
                return null;
            }
            List<Element> found = children(current, name);
            current = found.isEmpty() ? null : found.getFirst();
        }
        return current;
    }

    /** Trimmed text of the element at this path, or "". */
    static String text(Element from, String... names) {
        Element element = path(from, names);
        return element == null ? "" : element.getTextContent().replaceAll("\\s+", " ").trim();
    }

    static long number(Element from, String... names) {
        try {
            return Long.parseLong(text(from, names));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
