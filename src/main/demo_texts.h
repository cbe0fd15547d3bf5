#pragma once
// What the demo shop's customers are called and write (main/demo.cc): names, product
// categories and comments in English and German by the answer's category, and the notes the
// shop's staff leave on detractors' follow-ups.
#include <array>

namespace vouch::main::demo {

inline constexpr std::array kFirst = {"Anna",   "Ben",   "Clara", "David",  "Emma",   "Felix", "Greta",
                                      "Hannah", "Jonas", "Lena",  "Max",    "Mia",    "Noah",  "Paul",
                                      "Sophie", "Tim",   "Zoë",   "Jürgen", "Olivia", "Liam",  "Ava",
                                      "Lukas",  "Marie", "Elias", "Frieda", "Oskar",  "Ida",   "Ruth"};
inline constexpr std::array kLast = {"Schmidt", "Müller",  "Weber", "Fischer", "Wagner", "Becker", "Hoffmann",
                                     "Koch",    "Richter", "Klein", "Wolf",    "Brown",  "Taylor", "Evans"};
inline constexpr std::array kCategories = {"shoes", "jackets", "backpacks", "tents"};

// Comments by category (detractor, passive, promoter) and language.
inline constexpr std::array kDetractorEn = {
    "Delivery took longer than promised.",
    "The shoes fell apart after two hikes.",
    "Wrong size arrived and the return label was missing.",
    "Nobody answered my emails for a week.",
    "The tent poles were bent when it arrived.",
    "Parcel was left in the rain, box soaked.",
    "Charged twice for the same order!",
};
inline constexpr std::array kDetractorDe = {
    "Die Lieferung hat viel zu lange gedauert.",
    "Der Reißverschluss war nach einer Woche kaputt.",
    "Falsche Größe geliefert, Rücksendung kompliziert.",
    "Keine Antwort vom Kundenservice.",
    "Paket kam beschädigt an.",
};
inline constexpr std::array kPassiveEn = {
    "Good jacket, a bit pricey.",
    "Fine, but shipping could be faster.",
    "Okay quality for the price.",
    "Nice backpack, the straps could be softer.",
};
inline constexpr std::array kPassiveDe = {
    "Ganz gut, aber etwas teuer.",
    "In Ordnung, Versand war langsam.",
    "Solide Qualität, nichts Besonderes.",
};
inline constexpr std::array kPromoterEn = {
    "Love these boots, already told my hiking group!",
    "Fast delivery and great quality.",
    "Best tent I have owned, survived a storm in Wales.",
    "Friendly support, quick exchange. Will buy again.",
    "Super comfy from day one.",
};
inline constexpr std::array kPromoterDe = {
    "Tolle Schuhe, sehr bequem!",
    "Schnelle Lieferung, super Qualität.",
    "Der Rucksack ist perfekt für lange Touren.",
    "Sehr freundlicher Service, gerne wieder.",
};
// The month the carrier changed: "late" comments pile up.
inline constexpr std::array kDipEn = {
    "Three weeks for a parcel? Never again.",
    "Tracking said delivered, nothing arrived.",
    "Late again. The new carrier is terrible.",
};
inline constexpr std::array kDipDe = {
    "Drei Wochen Lieferzeit, unmöglich.",
    "Sendung als zugestellt markiert, aber nie angekommen.",
};

inline constexpr std::array kOwners = {"mia@trail.example", "jonas@trail.example", "support@trail.example"};
inline constexpr std::array kOpenNotes = {"Left a voicemail, will call again.", "Asked the warehouse.",
                                          "Waiting for the carrier's answer."};
inline constexpr std::array kResolvedNotes = {"Refunded shipping and apologised.", "Sent a replacement pair.",
                                              "Called; customer happy with a voucher.",
                                              "Explained the carrier change, offered 10 % off."};

}  // namespace vouch::main::demo
