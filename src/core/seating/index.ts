/**
 * Reserved seating: seat maps (versioned JSON documents), the seats of a date laid out from one,
 * availability, kills and holds (services), and the seat steps of the selling flow (holds.ts),
 * which core/selling calls inside its own transactions. Depends on the catalog only.
 */
export { mapService, type MapService, type SeatMap, type SeatMapInput } from './maps.ts';
export { seatService, seatLabel, printedSeat, type SeatService, type DateSeat, type DateSeating, type DateMap, type MapAssignment, type SeatRef, type SeatState, type SeatStatus } from './seats.ts';
export { chooseSeatsFor, claimSeats, compSeats, checkOutSeats, ticketSeats, sellSeats, releaseSeats, freeTicketSeats, seatsOfItem, chooseSeats, type SeatRequest } from './holds.ts';
export { MapDocument, SEAT_FLAGS, MAX_SEATS_PER_MAP, validateMapDocument, type SeatFlag } from './format.ts';
