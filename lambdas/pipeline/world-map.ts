/**
 * The report's world map: Natural Earth's land at 1:110m (world-atlas), projected once per
 * process to one SVG path (Natural Earth projection, d3-geo), coordinates rounded to a tenth of
 * a unit so the page stays small.
 */
import { geoNaturalEarth1, geoPath } from 'd3-geo';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import land from 'world-atlas/land-110m.json' with { type: 'json' };
import type { WorldMap } from '../core/report/html.ts';

const WIDTH = 960;
const HEIGHT = 500;

let drawn: WorldMap | undefined;

export const worldMap = (): WorldMap => {
  if (drawn) return drawn;
  const topology = land as unknown as Topology<{ land: GeometryCollection }>;
  const shape = feature(topology, topology.objects.land);
  const projection = geoNaturalEarth1().fitSize([WIDTH, HEIGHT], shape);
  const path = geoPath(projection).digits(1);
  drawn = {
    width: WIDTH,
    height: HEIGHT,
    land: path(shape) ?? '',
    project: (lon, lat) => {
      const xy = projection([lon, lat]);
      return xy ? [xy[0], xy[1]] : undefined;
    },
  };
  return drawn;
};
