import { createTheme } from '@mantine/core';

/** The web app's Mantine theme, shared by its two entries (index.html and the door's door.html). */
export const theme = createTheme({ primaryColor: 'indigo', primaryShade: 8, fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif', defaultRadius: 'md' });
