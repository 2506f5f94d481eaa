/** The door app (issue 20): start, scanning, offline; see DoorApp.tsx. */
export { default } from './DoorApp.tsx';
