package io.lakehousecdc.app.bench;

import java.util.List;

/** How far a benchmarked pipeline has got, as a growing list of points in time. */
interface Progress {

    /**
     * @param rows changes applied so far (all of them visible)
     * @param revision the highest workload revision visible; every lower one is visible too,
     *     since the binlog is read in order and each commit holds everything before its checkpoint
     * @param at when they became visible, epoch ms
     */
    record Point(long rows, long revision, long at) {}

    /** The points so far, oldest first. */
    List<Point> points();

    /** The newest point at or before {@code at}, or a zero point. */
    default Point at(long at) {
        Point newest = new Point(0, 0, 0);
        for (Point p : points()) {
            if (p.at() > at) {
                break;
            }
            newest = p;
        }
        return newest;
    }
}
