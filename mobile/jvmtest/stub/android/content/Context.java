// Host stand-in for android.content.Context, which gobind's go/Seq.java
// imports (for Seq.setContext, unused on a desktop JVM): .ci/mobile.
package android.content;

public class Context {}
