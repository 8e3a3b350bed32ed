pub mod nav;
pub mod screen_view;
