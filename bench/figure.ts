/** One measured figure of `npm run bench`, printed as one JSON line. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** The value the figure should stay at or under, when there is one. */
  target?: number;
}

export interface FigureModule {
  measure(): Promise<Figure[]>;
}
